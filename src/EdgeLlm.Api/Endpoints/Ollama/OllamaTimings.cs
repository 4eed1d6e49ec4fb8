using System.Globalization;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// The clock of one Ollama request, for the durations its final object reports in nanoseconds: <c>total_duration</c>
/// from the request's arrival to the end of its answer; <c>load_duration</c> from arrival until the model was in hand
/// (loading an on-demand model counts here); <c>prompt_eval_duration</c> the scheduler's time to the first token less
/// the time queued for a sequence; <c>eval_duration</c> from the first token to the end.
/// </summary>
internal sealed class OllamaTimings(TimeProvider time)
{
    private readonly long _arrived = time.GetTimestamp();
    private long? _modelReady;
    private long? _finished;
    private GenerationUsage? _usage;

    /// <summary>Now, as Ollama's <c>created_at</c> writes it (RFC 3339, UTC).</summary>
    public string CreatedAt() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The model is in hand (loaded, leased); what follows is generation.</summary>
    public void ModelReady() => _modelReady = time.GetTimestamp();

    /// <summary>The answer finished, with the scheduler's own figures.</summary>
    public void Finished(GenerationUsage usage)
    {
        _finished = time.GetTimestamp();
        _usage = usage;
    }

    public long TotalNanoseconds => Nanoseconds(time.GetElapsedTime(_arrived, _finished ?? time.GetTimestamp()));

    public long LoadNanoseconds => Nanoseconds(time.GetElapsedTime(_arrived, _modelReady ?? _arrived));

    public long PromptEvalNanoseconds => Nanoseconds(FirstToken - (_usage?.QueueTime ?? TimeSpan.Zero));

    public long EvalNanoseconds => Nanoseconds(Generating - FirstToken);

    private TimeSpan Generating => time.GetElapsedTime(_modelReady ?? _arrived, _finished ?? time.GetTimestamp());

    // An answer cut before its first token spent all its time on the prompt.
    private TimeSpan FirstToken => _usage?.TimeToFirstToken is { } first && first < Generating ? first : Generating;

    private static long Nanoseconds(TimeSpan span) => span <= TimeSpan.Zero ? 0 : span.Ticks * 100;
}
