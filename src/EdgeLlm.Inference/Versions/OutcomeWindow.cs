using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Versions;

/// <summary>The figures of one window of outcomes: counts (a blocked answer's mark is no request of its own), the 95th percentile of time to first token (nearest rank), the median decode rate.</summary>
internal static class OutcomeWindow
{
    public static VersionWindow Of(IReadOnlyList<GenerationOutcome> outcomes)
    {
        var firstTokens = outcomes.Where(o => o.TimeToFirstToken is not null).Select(o => o.TimeToFirstToken!.Value.TotalMilliseconds).Order().ToList();
        var rates = outcomes.Where(o => o.TokensPerSecond is not null).Select(o => o.TokensPerSecond!.Value).Order().ToList();
        return new VersionWindow(outcomes.Count(o => !o.MarksRecorded), outcomes.Count(o => o.Failed), NearestRank(firstTokens, 0.95), Median(rates), outcomes.Count(o => o.Blocked));
    }

    /// <summary>The smallest value with at least <paramref name="fraction"/> of the sorted values at or below it.</summary>
    private static double? NearestRank(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Count) - 1)];

    private static double? Median(List<double> sorted) =>
        sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
