namespace EdgeLlm.Benchmarks.Reporting;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile: always one of the measured values, no interpolation.</summary>
    public static double Of(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to take a percentile of.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static double Median(IReadOnlyCollection<double> values) => Of(values, 50);
}
