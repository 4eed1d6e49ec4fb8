using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>Canary rollouts' instruments (meter <c>EdgeLlm.Rollouts</c>).</summary>
internal static class RolloutMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Rollouts");
    private static readonly Counter<long> Windows = Meter.CreateCounter<long>("edgellm.rollout.windows", "{window}", "Rollout windows judged, by model and verdict (passed, failed, inconclusive).");
    private static readonly Counter<long> Ended = Meter.CreateCounter<long>("edgellm.rollout.ended", "{rollout}", "Rollouts that ended, by model and outcome (promoted, aborted).");
    private static readonly ConcurrentDictionary<string, int> Weights = new(StringComparer.Ordinal);

    static RolloutMetrics() => Meter.CreateObservableGauge(
        "edgellm.rollout.weight", () => Weights.Select(w => new Measurement<int>(w.Value, new KeyValuePair<string, object?>("model", w.Key))), "{percent}",
        "The candidate's share of requests of each model with a rollout in this process (0 once it ended).");

    public static void Judged(string model, string verdict) => Windows.Add(
        1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("verdict", verdict));

    public static void Finished(string model, string outcome) => Ended.Add(
        1, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("outcome", outcome));

    public static void Weighted(string model, int weight) => Weights[model] = weight;
}
