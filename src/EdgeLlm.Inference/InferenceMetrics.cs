using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference;

/// <summary>
/// Inference's instruments (meter and activity source <c>EdgeLlm.Inference</c>): tokens, time to first token,
/// inter-token latency, tokens/s, request duration, refusals, active sequences and queue depth per model, model load
/// time and size.
/// The scheduler's spans (queue, decode) hang under the caller's request span and carry its request id.
/// </summary>
internal static class InferenceMetrics
{
    public const string Name = "EdgeLlm.Inference";

    /// <summary>Baggage the API sets on the request span, copied onto the scheduler's spans.</summary>
    public const string RequestIdBaggage = "edgellm.request_id";

    public static readonly ActivitySource Activities = new(Name);

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private static readonly Meter Meter = new(Name);
    private static readonly ConcurrentDictionary<LoadedModel, byte> Models = new();
    private static readonly PrefixReuse.PrefixEviction[] EvictionReasons = Enum.GetValues<PrefixReuse.PrefixEviction>();
    private static readonly Counter<long> PromptTokens = Meter.CreateCounter<long>("edgellm.inference.prompt_tokens", "{token}", "Prompt tokens of finished generations.");
    private static readonly Counter<long> GeneratedTokens = Meter.CreateCounter<long>("edgellm.inference.generated_tokens", "{token}", "Tokens generated.");
    private static readonly string[] RefusalReasons = ["queue_full", "key_share_full", "unavailable", "no_memory"];
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("edgellm.inference.rejected", "{request}", "Generations refused at admission, by reason (queue_full, key_share_full, unavailable, no_memory).");
    private static readonly Counter<long> Stalled = Meter.CreateCounter<long>("edgellm.inference.client_stalled", "{request}", "Generations stopped because their client did not take the output (Api:StalledClientTimeout).");
    private static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram("edgellm.inference.time_to_first_token", "s", "From admission to the first sampled token.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    private static readonly Histogram<double> Duration = Meter.CreateHistogram("edgellm.inference.request.duration", "s", "From admission to the end of a generation, by finish reason.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    private static readonly Histogram<double> InterTokenLatency = Meter.CreateHistogram("edgellm.inference.inter_token_latency", "s", "Mean time between one request's tokens after its first (decode time over tokens after the first).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    private static readonly Histogram<double> TokensPerSecond = Meter.CreateHistogram("edgellm.inference.tokens_per_second", "{token}/s", "Generation speed of one request after its first token.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });
    private static readonly Counter<long> Unloads = Meter.CreateCounter<long>("edgellm.inference.model.unloads", "{model}", "On-demand models unloaded, by model and reason (idle: keep-alive ran out; budget: evicted for another model; operator: unloaded through /admin).");
    private static readonly Histogram<double> LoadTime = Meter.CreateHistogram("edgellm.inference.model.load_time", "s", "Time to load a model's weights and create its context.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    static InferenceMetrics()
    {
        Meter.CreateObservableGauge("edgellm.inference.active_sequences", () => PerModel(m => m.Scheduler.Snapshot.Active), "{sequence}", "Sequences being decoded.");
        Meter.CreateObservableGauge("edgellm.inference.queue_depth", () => PerModel(m => m.Scheduler.Snapshot.Waiting), "{request}", "Generations waiting for a free sequence.");
        Meter.CreateObservableGauge("edgellm.inference.model.size", () => PerModel(m => m.WeightsBytes), "By", "Bytes of a loaded model's weights.");
        Meter.CreateObservableCounter("edgellm.inference.prefix_cache.hit_tokens", () => PerModel(m => m.Scheduler.PrefixCache.HitTokens), "{token}", "Prompt tokens started from a kept prefix's KV cells instead of being decoded.");
        Meter.CreateObservableCounter("edgellm.inference.prefix_cache.lookups", () => PerModel(m => [(m.Scheduler.PrefixCache.Hits, "hit"), (m.Scheduler.PrefixCache.Misses, "miss")], "result"), "{request}", "Requests that looked for a kept prefix, by result (hit, miss).");
        Meter.CreateObservableCounter("edgellm.inference.prefix_cache.evictions", () => PerModel(m => EvictionReasons.Select(r => (m.Scheduler.PrefixCache.Evictions(r), ReasonName(r))), "reason"), "{prefix}", "Kept prefixes dropped, by reason (cells, entries, cap, superseded, no_slot).");
        Meter.CreateObservableGauge("edgellm.inference.prefix_cache.cells", () => PerModel(m => m.Scheduler.PrefixCache.Cells), "{cell}", "KV cells the kept prefixes hold.");
        Meter.CreateObservableCounter("edgellm.inference.speculation.proposed_tokens", () => PerModel(m => m.Scheduler.Speculation.ProposedTokens), "{token}", "Draft tokens checked by speculative decoding.");
        Meter.CreateObservableCounter("edgellm.inference.speculation.accepted_tokens", () => PerModel(m => m.Scheduler.Speculation.AcceptedTokens), "{token}", "Draft tokens the model agreed with (each saved a decode step).");
    }

    public static void Loaded(LoadedModel model, TimeSpan loadTime)
    {
        Models.TryAdd(model, 0);

        // Every refusal reason is exported at 0 once a model is loaded (the host runs, so the exporter listens), so the
        // first refusal is an increase that rate() and an alert can see.
        foreach (var reason in RefusalReasons)
        {
            Rejected.Add(0, Reason(reason));
        }

        LoadTime.Record(loadTime.TotalSeconds, new KeyValuePair<string, object?>("model", model.Name));
    }

    public static void Unloaded(LoadedModel model) => Models.TryRemove(model, out _);

    public static void Evicted(string model, string reason) => Unloads.Add(1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("reason", reason));

    public static void Refused(string reason) => Rejected.Add(1, Reason(reason));

    public static void Finished(GenerationRequest request, int completionTokens, FinishReason reason, TimeSpan duration, TimeSpan? timeToFirstToken)
    {
        var tag = new KeyValuePair<string, object?>("finish_reason", reason == FinishReason.ClientStalled ? "client_stalled" : reason.ToString().ToLowerInvariant());
        if (reason == FinishReason.ClientStalled)
        {
            Stalled.Add(1);
        }

        PromptTokens.Add(request.PromptTokens.Count);
        GeneratedTokens.Add(completionTokens);
        Duration.Record(duration.TotalSeconds, tag);
        if (timeToFirstToken is { } first)
        {
            TimeToFirstToken.Record(first.TotalSeconds);
            var decoding = (duration - first).TotalSeconds;
            if (completionTokens > 1 && decoding > 0)
            {
                TokensPerSecond.Record((completionTokens - 1) / decoding);
                InterTokenLatency.Record(decoding / (completionTokens - 1));
            }
        }
    }

    /// <summary>Starts a span of the scheduler under <paramref name="parent"/> without making it current on this thread.</summary>
    public static Activity? StartSpan(string name, ActivityContext parent, string? requestId)
    {
        var previous = Activity.Current;
        var span = Activities.StartActivity(name, ActivityKind.Internal, parent);
        Activity.Current = previous;
        span?.SetTag(RequestIdBaggage, requestId);
        return span;
    }

    /// <summary>Stops a span started by <see cref="StartSpan"/>; stopping would make its parent current on this thread, so the current one is kept.</summary>
    public static void EndSpan(Activity? span)
    {
        if (span is null)
        {
            return;
        }

        var previous = Activity.Current;
        span.Stop();
        Activity.Current = previous;
    }

    private static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);

    private static IEnumerable<Measurement<long>> PerModel(Func<LoadedModel, long> value) =>
        Models.Keys.Select(m => new Measurement<long>(value(m), new KeyValuePair<string, object?>("model", m.Name)));

    private static IEnumerable<Measurement<long>> PerModel(Func<LoadedModel, IEnumerable<(long Value, string Tag)>> values, string tag) =>
        Models.Keys.SelectMany(m => values(m).Select(v => new Measurement<long>(v.Value, new KeyValuePair<string, object?>("model", m.Name), new KeyValuePair<string, object?>(tag, v.Tag))));

    private static string ReasonName(PrefixReuse.PrefixEviction reason) => reason == PrefixReuse.PrefixEviction.NoSlot ? "no_slot" : reason.ToString().ToLowerInvariant();
}
