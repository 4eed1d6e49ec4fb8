using System.Text.Json;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>The server-sent events of llama-server's streamed <c>/completion</c>, one <c>data: {...}</c> line each.</summary>
internal static class LlamaServerEvents
{
    /// <summary>
    /// The event on <paramref name="line"/>; null for lines that carry none (blank separators, comments, other
    /// fields). Every event counts the tokens generated so far (<c>tokens_predicted</c>): a token that ends inside
    /// a UTF-8 character sends no event of its own, so counting events would undercount.
    /// </summary>
    public static LlamaServerEvent? Parse(string line)
    {
        if (!line.StartsWith("data: ", StringComparison.Ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(line.AsMemory("data: ".Length));
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new InvalidDataException($"llama-server's stream ended in an error: {error}");
        }

        var ownRate = root.TryGetProperty("timings", out var timings) && timings.TryGetProperty("predicted_per_second", out var rate) ? rate.GetDouble() : (double?)null;
        return new LlamaServerEvent(root.GetProperty("tokens_predicted").GetInt32(), root.GetProperty("stop").GetBoolean(), ownRate);
    }

    /// <summary>
    /// Tokens per second after the first token, as the daemon's streams are measured: the tokens of the events
    /// after the first generated one over the time from that event to the last. Null with fewer than two such events.
    /// </summary>
    /// <param name="events">Each event with its arrival time in seconds (any origin), in order.</param>
    public static double? DecodeRate(IReadOnlyList<(double Seconds, LlamaServerEvent Event)> events)
    {
        var tokens = events.Where(e => !e.Event.Stop && e.Event.TokensPredicted > 0).ToList();
        if (tokens.Count < 2 || tokens[^1].Seconds <= tokens[0].Seconds)
        {
            return null;
        }

        return (tokens[^1].Event.TokensPredicted - tokens[0].Event.TokensPredicted) / (tokens[^1].Seconds - tokens[0].Seconds);
    }
}

/// <param name="TokensPredicted">Tokens generated so far.</param>
/// <param name="Stop">The final event (it repeats the count and adds llama-server's own timings).</param>
/// <param name="OwnRate">The final event's timings.predicted_per_second: llama-server's own decode rate, without HTTP.</param>
internal sealed record LlamaServerEvent(int TokensPredicted, bool Stop, double? OwnRate = null);
