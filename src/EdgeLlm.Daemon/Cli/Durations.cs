using System.Globalization;

namespace EdgeLlm.Daemon.Cli;

/// <summary>Durations typed on the command line: a whole number and <c>d</c>, <c>h</c> or <c>m</c>, e.g. <c>30d</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        duration = text[^1] switch
        {
            'd' => TimeSpan.FromDays(amount),
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            _ => default,
        };
        return duration > TimeSpan.Zero;
    }

    /// <exception cref="ArgumentException">The text is not such a duration.</exception>
    public static TimeSpan Parse(string text, string option) =>
        TryParse(text, out var duration) ? duration : throw new ArgumentException($"{option} takes a number and d, h or m, e.g. 90d.", option);
}
