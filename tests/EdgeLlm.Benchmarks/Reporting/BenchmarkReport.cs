using System.Globalization;
using System.Runtime.InteropServices;
using EdgeLlm.Benchmarks.Baseline;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Inference.Runtime;

namespace EdgeLlm.Benchmarks.Reporting;

/// <summary>Prints the machine and one table per model: each figure, its ratio to the same run's baseline, the goal and PASS/MISS.</summary>
internal static class BenchmarkReport
{
    /// <summary>Single-stream decode rate through the daemon over the baseline's.</summary>
    public const double SingleStreamGoal = 0.97;

    /// <summary>Aggregate rate at 8 streams over 1 stream (stated for the ~1B model on a 2-core CPU).</summary>
    public const double EightStreamGoal = 2.5;

    /// <summary>Time to first token over the baseline's prompt time, in milliseconds.</summary>
    public const double FirstTokenOverheadGoal = 5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void PrintMachine(int threads)
    {
        Console.WriteLine("EdgeLlm benchmark: every figure is a ratio against a baseline measured in the same run.");
        Console.WriteLine($"Machine: {CpuModel()}, {Environment.ProcessorCount} logical CPUs, {CpuTopology.PhysicalCores()} physical cores; "
            + $"{RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"Threads: {threads} for the baseline and the daemon alike");
    }

    public static void Print(BenchmarkPlan plan, BaselineResult baseline, DaemonResult daemon, (double One, double Many)? ceiling)
    {
        var file = new FileInfo(plan.ModelPath);
        var megabytes = ((file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo) ?? file).Length / 1e6;
        Console.WriteLine();
        Console.WriteLine($"{plan.Model.DisplayName}: {baseline.ParameterCount.ToString("N0", Invariant)} parameters, {F(megabytes, 1)} MB, "
            + $"context {plan.ContextSize} per sequence, {plan.Threads} threads");

        var rows = new List<string[]> { new[] { "metric", "measured", "ratio", "goal", "result" } };
        rows.Add(["baseline decode (ReferenceGreedyLoop)",
            $"{F(baseline.DecodeRate, 1)} tok/s ({baseline.DecodeTokens} tokens; before {F(baseline.Before.DecodeRate, 1)}, after {F(baseline.After.DecodeRate, 1)}, {baseline.DecodeRuns} runs)",
            "1.00", "ceiling", ""]);

        var single = daemon.DecodeRate / baseline.DecodeRate;
        rows.Add(["daemon single stream (HTTP/SSE)", $"{F(daemon.DecodeRate, 1)} tok/s ({daemon.DecodeTokens} tokens, median of {plan.Repeats})",
            $"{F(single, 3)} x baseline", $">= {F(SingleStreamGoal, 2)}", Verdict(single >= SingleStreamGoal)]);

        var one = daemon.Loads[0].TokensPerSecond;
        foreach (var load in daemon.Loads)
        {
            var ratio = load.TokensPerSecond / one;
            var goal = load.Streams == 8 && plan.Model.HasConcurrencyGoal;
            rows.Add([$"aggregate, {load.Streams} stream{(load.Streams == 1 ? "" : "s")} x {plan.StreamTokens} max_tokens",
                $"{F(load.TokensPerSecond, 1)} tok/s ({load.CompletionTokens} tokens in {F(load.Span.TotalSeconds, 2)} s, median of {plan.Repeats})",
                $"{F(ratio, 2)} x 1 stream",
                goal ? $">= {F(EightStreamGoal, 1)}" : load.Streams == 8 ? "(1B model only)" : "",
                goal ? Verdict(ratio >= EightStreamGoal) : ""]);
        }

        if (ceiling is { } c)
        {
            rows.Add(["llama.cpp alone, 8 sequences batched", $"{F(c.Many, 1)} tok/s (1 sequence: {F(c.One, 1)} tok/s; no scheduler, no HTTP)",
                $"{F(c.Many / c.One, 2)} x 1 sequence", "ceiling of the 8-stream ratio", ""]);
        }

        rows.Add(["baseline prompt time p50", $"{F(baseline.PromptMillisecondsP50, 2)} ms ({baseline.PromptTokens} tokens, {baseline.PromptRuns} runs; p95 {F(baseline.PromptMillisecondsP95, 2)} ms)", "", "", ""]);
        foreach (var (name, value) in new[] { ("p50", daemon.TimeToFirstTokenP50), ("p95", daemon.TimeToFirstTokenP95) })
        {
            var overhead = value - baseline.PromptMillisecondsP50;
            rows.Add([$"daemon time to first token {name}", $"{F(value, 2)} ms ({plan.TtftRuns} requests)",
                $"{(overhead >= 0 ? "+" : "")}{F(overhead, 2)} ms vs base p50", $"<= +{F(FirstTokenOverheadGoal, 0)} ms", Verdict(overhead <= FirstTokenOverheadGoal)]);
        }

        PrintTable(rows);
        var worst = Math.Max(baseline.ForeignCpuShare, daemon.ForeignCpuShare);
        Console.WriteLine($"  Other processes used {F(baseline.ForeignCpuShare * 100, 0)}% of the CPUs during the baseline and {F(daemon.ForeignCpuShare * 100, 0)}% during the daemon runs"
            + (worst > ForeignCpuLoad.QuietShare ? ": the machine was not quiet, so these ratios are unreliable." : "."));
    }

    public static void PrintTable(List<string[]> rows)
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

    public static string Verdict(bool met) => met ? "PASS" : "MISS";

    public static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(Invariant), Invariant);

    public static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(line => line.StartsWith("model name", StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
