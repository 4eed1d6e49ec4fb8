namespace EdgeLlm.Benchmarks.Reporting;

/// <summary>Table cells of the comparison runs: rates, ratios to llama.cpp's figures, and the goal on a ratio.</summary>
internal static class ComparisonRow
{
    /// <summary>A row of a measured rate against a reference, with the goal on the ratio when there is one.</summary>
    public static string[] Of(string name, double? measured, string referenceName, double? reference, double? goal)
    {
        var ratio = measured is { } m && reference is { } r && r > 0 ? m / r : (double?)null;
        return [name, Rate(measured), reference is { } rate ? $"{referenceName} {Rate(rate)}" : $"{referenceName}: n/a", ratio is { } x ? F(x, 2) : "n/a",
            goal is { } g ? $">= {F(g, 2)} x" : "", goal is { } target ? (ratio is { } q ? BenchmarkReport.Verdict(q >= target) : "n/a") : ""];
    }

    /// <summary>A row of a ratio measured directly (the median of per-round ratios), with its goal.</summary>
    public static string[] OfRatio(string name, string referenceName, double? ratio, double goal) =>
        [name, "", referenceName, ratio is { } x ? F(x, 2) : "n/a", $">= {F(goal, 2)} x", ratio is { } q ? BenchmarkReport.Verdict(q >= goal) : "n/a"];

    public static string Ratio(double? measured, double? reference) => measured is { } m && reference is { } r && r > 0 ? F(m / r, 2) : "n/a";

    public static string Rate(double? tokensPerSecond) => tokensPerSecond is { } r ? $"{F(r, 1)} tok/s" : "n/a";

    public static string Milliseconds(double? value) => value is { } v ? $"{F(v, 2)} ms" : "n/a";

    private static string F(double value, int decimals) => BenchmarkReport.F(value, decimals);
}
