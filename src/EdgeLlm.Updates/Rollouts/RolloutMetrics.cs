using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>Canary rollouts' instruments (meter <c>EdgeLlm.Rollouts</c>): tagged with the rollout's kind (model, policy) and its model's or policy set's name as <c>model</c>.</summary>
internal static class RolloutMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Rollouts");
    private static readonly Counter<long> Windows = Meter.CreateCounter<long>("edgellm.rollout.windows", "{window}", "Rollout windows judged, by kind, model (or policy set) and verdict (passed, failed, inconclusive).");
    private static readonly Counter<long> Ended = Meter.CreateCounter<long>("edgellm.rollout.ended", "{rollout}", "Rollouts that ended, by kind, model (or policy set) and outcome (promoted, aborted).");
    private static readonly ConcurrentDictionary<(string Kind, string Name), int> Weights = new();

    static RolloutMetrics() => Meter.CreateObservableGauge(
        "edgellm.rollout.weight", () => Weights.Select(w => new Measurement<int>(w.Value, Kind(w.Key.Kind), Name(w.Key.Name))), "{percent}",
        "The candidate's share of requests of each model (or policy set) with a rollout in this process (0 once it ended).");

    public static void Judged(string kind, string name, string verdict) => Windows.Add(1, Kind(kind), Name(name), new KeyValuePair<string, object?>("verdict", verdict));

    public static void Finished(string kind, string name, string outcome) => Ended.Add(1, Kind(kind), Name(name), new KeyValuePair<string, object?>("outcome", outcome));

    public static void Weighted(string kind, string name, int weight) => Weights[(kind, name)] = weight;

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);

    private static KeyValuePair<string, object?> Name(string name) => new("model", name);
}
