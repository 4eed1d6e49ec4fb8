using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>One measure of the reuse benchmark: its baseline and its figure from the same run, and the goal on their ratio.</summary>
/// <param name="Measure">What was measured, and how.</param>
/// <param name="Baseline">The baseline's median over the rounds, with its unit.</param>
/// <param name="Measured">The measured median over the rounds, with its unit.</param>
/// <param name="Ratio">The median of the per-round ratios measured ÷ baseline.</param>
/// <param name="Goal">The goal on the ratio.</param>
/// <param name="AtMost">The goal is an upper bound (a time), not a lower one (a rate).</param>
/// <param name="Counters">The daemon's counters and the workload's figures meanwhile.</param>
internal sealed record ReuseRow(string Measure, string Baseline, string Measured, double Ratio, double Goal, bool AtMost, string Counters)
{
    public bool Met => AtMost ? Ratio <= Goal : Ratio >= Goal;
}

/// <summary>Prints the reuse benchmark's table, as the structured-output benchmark prints its own.</summary>
internal static class ReuseReport
{
    public static void Print(IReadOnlyList<ReuseRow> rows)
    {
        var table = new List<string[]> { new[] { "measure", "baseline (same run)", "measured", "ratio (median of rounds)", "goal", "result" } };
        table.AddRange(rows.Select(r => new[]
        {
            r.Measure, r.Baseline, r.Measured, BenchmarkReport.F(r.Ratio, 2), $"{(r.AtMost ? "<=" : ">=")} {BenchmarkReport.F(r.Goal, 2)} x", BenchmarkReport.Verdict(r.Met),
        }));
        BenchmarkReport.PrintTable(table);
        Console.WriteLine();
        foreach (var row in rows)
        {
            Console.WriteLine($"  {row.Measure}: {row.Counters}");
        }
    }

    /// <summary>A counter's value, or n/a when the daemon does not export it.</summary>
    public static string Count(double? value) => value is { } v ? BenchmarkReport.F(v, 0) : "n/a";

    /// <summary><paramref name="part"/> ÷ <paramref name="whole"/> as a percentage, or n/a.</summary>
    public static string Share(double? part, double? whole) =>
        part is { } p && whole is { } w && w > 0 ? BenchmarkReport.F(100 * p / w, 1) + " %" : "n/a";

    public static string Rate(IEnumerable<double> rates) => $"{BenchmarkReport.F(Percentiles.Median([.. rates]), 1)} tok/s";

    public static string Seconds(IEnumerable<double> seconds) => $"{BenchmarkReport.F(Percentiles.Median([.. seconds]), 3)} s";
}
