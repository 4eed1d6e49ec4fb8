using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's <c>keep_alive</c>: a number of seconds, or a Go duration string (<c>"5m"</c>, <c>"1h30m"</c>,
/// <c>"300ms"</c>); any negative value means "keep it loaded". Anything else is a 400 naming the field, so a typo is
/// not taken for a default.
/// </summary>
internal static partial class OllamaKeepAlive
{
    /// <summary>The longest a request may ask for: as long as the operator may configure (Inference:KeepAlive).</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    /// <summary>The duration asked for (null: none; <see cref="Timeout.InfiniteTimeSpan"/>: keep loaded), or the 400.</summary>
    public static (TimeSpan? KeepAlive, ApiError? Error) Read(JsonElement? keepAlive)
    {
        switch (keepAlive)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return (null, null);
            case { ValueKind: JsonValueKind.Number } number when number.TryGetDouble(out var seconds) && double.IsFinite(seconds):
                return Bounded(seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(Math.Min(seconds, Longest.TotalSeconds + 1)));
            case { ValueKind: JsonValueKind.String } text:
                var (value, invalidText) = TextField.Read(text, "keep_alive");
                if (invalidText is not null)
                {
                    return (null, invalidText);
                }

                return Parse(value!) is { } duration ? Bounded(duration) : (null, Malformed);
            default:
                return (null, Malformed);
        }
    }

    private static readonly ApiError Malformed = new(400, ErrorCodes.InvalidParameter, "keep_alive must be a number of seconds or a duration such as \"5m\" or \"1h30m\".", "keep_alive");

    private static (TimeSpan?, ApiError?) Bounded(TimeSpan duration) =>
        duration > Longest
            ? (null, new ApiError(400, ErrorCodes.InvalidParameter, "keep_alive must be at most 7 days (or negative: keep loaded).", "keep_alive"))
            : (duration, null);

    /// <summary>Go's <c>time.ParseDuration</c> grammar: a sign, then decimal numbers each with a unit; <c>"0"</c> alone needs none.</summary>
    internal static TimeSpan? Parse(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var ticks = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.');
            var amount = double.Parse(part.Value[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += amount * unit switch
            {
                "ns" => 0.01,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        return match.Groups["sign"].Value == "-" ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.MaxValue.Ticks / 2.0));
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
