using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// Streams <c>/v1/completions</c> requests to a named model entry with given sampling, timed as <see cref="CompletionStream"/>
/// times them (each event with text stamped as its line arrives), and keeps what the reuse benchmark also needs: the
/// answer's text and its usage, prompt tokens and the cached ones among them.
/// </summary>
internal sealed class ReuseClient(HttpClient http, string apiKey)
{
    public async Task<ReuseAnswer> CompleteAsync(string model, string prompt, int maxTokens, ReuseSampling sampling, CancellationToken cancellationToken)
    {
        var answer = await CompletionStream.SendAsync(http, apiKey, Body(model, prompt, maxTokens, sampling), maxTokens, cancellationToken);
        var usage = answer.Usage;
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? details.GetProperty("cached_tokens").GetInt32()
            : (int?)null;
        return new ReuseAnswer(answer.Timing, usage.GetProperty("prompt_tokens").GetInt32(), cached, answer.Text, answer.TokenTimes);
    }

    /// <summary>
    /// One greedy request per prompt, all started together, as <see cref="StreamLoad"/> runs them: every token of every
    /// stream over the span from the first token of any stream to the last token of any; and the rate while every stream
    /// was past its prompt and none had finished (text events in that window, one per token while speculation is off).
    /// </summary>
    public async Task<ReuseLoad> LoadAsync(string model, IReadOnlyList<string> prompts, int maxTokens, CancellationToken cancellationToken)
    {
        var running = prompts
            .Select(prompt => Task.Run(() => CompleteAsync(model, prompt, maxTokens, ReuseSampling.Greedy, cancellationToken), cancellationToken))
            .ToArray();
        var answers = await Task.WhenAll(running);
        var timings = answers.Select(a => a.Timing).ToList();
        var span = Stopwatch.GetElapsedTime(timings.Min(t => t.FirstToken), timings.Max(t => t.LastToken));
        var (from, to) = (timings.Max(t => t.FirstToken), timings.Min(t => t.LastToken));
        var events = answers.Sum(a => a.TokenTimes.Count(t => t > from && t <= to));
        var window = Stopwatch.GetElapsedTime(from, to).TotalSeconds;
        return new ReuseLoad(new LoadResult(prompts.Count, timings.Sum(t => t.CompletionTokens), span), to > from && window > 0 ? events / window : null);
    }

    private static string Body(string model, string prompt, int maxTokens, ReuseSampling sampling)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteString("prompt", prompt);
            json.WriteNumber("max_tokens", maxTokens);
            json.WriteNumber("temperature", sampling.Temperature);
            if (sampling.TopK is { } topK)
            {
                json.WriteNumber("top_k", topK);
            }

            if (sampling.Seed is { } seed)
            {
                json.WriteNumber("seed", seed);
            }

            json.WriteBoolean("stream", true);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <param name="Temperature">0: greedy.</param>
/// <param name="TopK">null: the daemon's default; 0: no top-k cut.</param>
/// <param name="Seed">null: the daemon picks one.</param>
internal sealed record ReuseSampling(float Temperature, int? TopK, uint? Seed)
{
    public static ReuseSampling Greedy { get; } = new(0, null, null);
}

/// <param name="Timing">Client-side times of the stream.</param>
/// <param name="PromptTokens">usage.prompt_tokens: the prompt as the daemon tokenised it.</param>
/// <param name="CachedTokens">usage.prompt_tokens_details.cached_tokens; null when the daemon does not report it.</param>
/// <param name="Text">The answer.</param>
/// <param name="TokenTimes">Arrival of each event with text, as <see cref="Stopwatch"/> timestamps.</param>
internal sealed record ReuseAnswer(StreamTiming Timing, int PromptTokens, int? CachedTokens, string Text, IReadOnlyList<long> TokenTimes)
{
    /// <summary>Events closer than this to the one before came out of the same decode step (a step of a ~1B model takes tens of ms).</summary>
    private static readonly TimeSpan SameStep = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Completion tokens per decode step after the first token, as the client sees them: a burst of events is one step
    /// that delivered accepted drafts. An estimate that needs no counters; 1.0 without speculation.
    /// </summary>
    public double TokensPerStep
    {
        get
        {
            var steps = TokenTimes.Skip(1).Where((time, i) => Stopwatch.GetElapsedTime(TokenTimes[i], time) >= SameStep).Count();
            return steps == 0 ? 1 : (Timing.CompletionTokens - 1) / (double)steps;
        }
    }
}

/// <param name="Load">Every stream's tokens over the whole span.</param>
/// <param name="DecodePhaseRate">Tokens per second while all streams were decoding; null when no such window came.</param>
internal sealed record ReuseLoad(LoadResult Load, double? DecodePhaseRate);
