using System.Globalization;
using System.Runtime.InteropServices;
using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>Prints the retrieval-vectors table: exact scan against the index per size, with the issue's goals.</summary>
internal static class RetrievalVectorReport
{
    private const double RecallGoal = 0.95;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The issue's p50 goals on a 2-core machine, by collection size.</summary>
    private static readonly Dictionary<int, double> P50GoalMilliseconds = new() { [100_000] = 2, [1_000_000] = 10 };

    public static void PrintHeader(RetrievalVectorSettings settings)
    {
        Console.WriteLine($"EdgeLlm retrieval vectors: {settings.Dimensions}-dim unit vectors around {settings.Clusters} clusters, "
            + $"{settings.Queries} queries near stored vectors, top {10}, one search at a time");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}");
    }

    public static void PrintProgress(VectorSizeResult result) =>
        Console.WriteLine($"  exact p50 {F(result.Exact.P50, 3)} ms, index p50 {F(result.Index.P50, 3)} ms, recall@10 {F(result.Recall, 4)}, "
            + $"build {F(result.IndexBuild.TotalSeconds, 2)} s, others used {F(result.ForeignCpuShare * 100, 0)}% of the CPUs");

    public static void PrintTable(IReadOnlyList<VectorSizeResult> results)
    {
        var rows = new List<string[]>
        {
            new[] { "vectors", "exact p50/p99 ms", "index p50/p99 ms", "exact/index p50", "recall@10", "index", "load exact s", "build index s",
                "start-up from state s", "memory exact/index MiB", "others' CPU", "goal", "result" },
        };
        foreach (var r in results)
        {
            var goal = P50GoalMilliseconds.TryGetValue(r.Count, out var p50Goal) ? $"p50 <= {F(p50Goal, 0)} ms, recall >= {F(RecallGoal, 2)}" : "";
            var met = r.Index.P50 <= p50Goal && r.Recall >= RecallGoal;
            rows.Add([
                r.Count.ToString("N0", Invariant),
                $"{F(r.Exact.P50, 3)} / {F(r.Exact.P99, 3)}",
                $"{F(r.Index.P50, 3)} / {F(r.Index.P99, 3)}",
                $"{F(r.Exact.P50 / r.Index.P50, 1)}x",
                F(r.Recall, 4),
                r.IndexMode,
                F(r.ExactLoad.TotalSeconds, 2),
                F(r.IndexBuild.TotalSeconds, 2),
                r.StartUp is { } s ? $"{F(s.Elapsed.TotalSeconds, 2)} ({F(s.StateBytes / 1048576.0, 1)} MiB state, {(s.SameResults ? "same results" : "RESULTS DIFFER")})" : "-",
                $"{F(r.ExactBytes / 1048576.0, 0)} / {F(r.IndexBytes / 1048576.0, 0)}",
                $"{F(r.ForeignCpuShare * 100, 0)}%",
                goal,
                goal.Length == 0 ? "" : met ? "PASS" : "MISS",
            ]);
        }

        Console.WriteLine();
        PrintRows(rows);
        if (results.Any(r => r.ForeignCpuShare > ForeignCpuLoad.QuietShare))
        {
            Console.WriteLine("  Other processes used the CPUs during the run (column 'others' CPU'): latencies are noisier and higher than on a quiet machine.");
        }
    }

    private static void PrintRows(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            Console.WriteLine("  " + string.Join("  ", rows[r].Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            if (r == 0)
            {
                Console.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(Invariant), Invariant);
}
