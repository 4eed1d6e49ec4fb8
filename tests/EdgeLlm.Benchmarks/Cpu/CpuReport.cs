using System.Runtime.InteropServices;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>The CPU run's tables: every figure as a ratio to llama.cpp's own on the same model and threads, with the goals.</summary>
internal static class CpuReport
{
    /// <summary>Lean loop on the built natives over llama-bench tg.</summary>
    public const double LeanGoal = 0.95;

    /// <summary>Lean loop's 512-token prompt on the built natives over llama-bench pp512.</summary>
    public const double PromptGoal = 0.95;

    /// <summary>Daemon single stream on the built natives over llama-bench tg.</summary>
    public const double DaemonSingleGoal = 0.92;

    /// <summary>Daemon single stream over llama-server's single stream.</summary>
    public const double DaemonOverServerGoal = 1.0;

    /// <summary>Daemon aggregate at <see cref="GoalStreams"/> streams over llama-batched-bench at as many sequences.</summary>
    public const double BatchedGoal = 0.95;

    public const int GoalStreams = 8;

    public static void PrintHeader(CpuSettings settings, string modelPath)
    {
        var file = new FileInfo(modelPath);
        var megabytes = ((file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo) ?? file).Length / 1e6;
        var manifest = Path.Combine(settings.Natives, "natives.manifest");
        var source = File.Exists(manifest) ? File.ReadLines(manifest).FirstOrDefault(l => l.StartsWith("source=", StringComparison.Ordinal))?["source=".Length..] : null;
        Console.WriteLine("EdgeLlm CPU benchmark: every figure as a ratio to llama.cpp's own tools on the same model and threads, in the same run.");
        Console.WriteLine($"Machine: {BenchmarkReport.CpuModel()}, {Environment.ProcessorCount} logical CPUs; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"Natives: {settings.Natives} ({source ?? "no natives.manifest"})");
        Console.WriteLine($"Model: {Path.GetFileName(modelPath)} ({BenchmarkReport.F(megabytes, 1)} MB); threads and batch threads: {settings.Threads}; "
            + $"{settings.Tokens} generated tokens per run, {settings.Repeats} runs each; context {settings.ContextSize} per sequence; flash attention: llama.cpp's default (auto) everywhere");
        Console.WriteLine();
    }

    public static void Print(CpuSettings settings, CpuResults results)
    {
        var tg = $"llama-bench tg{settings.Tokens}";
        var lean = results.Lean?.Results.Single(r => r.Shape == LeanShape.Reference.Name);
        var leanOwn = results.LeanOwn?.Results.Single(r => r.Shape == LeanShape.Reference.Name);
        var daemonShape = results.Lean?.Results.Single(r => r.Shape == LeanShape.CpuDaemon.Name);
        var batched = results.Batched?.GetValueOrDefault(GoalStreams);
        var rows = new List<string[]> { new[] { "metric", "measured", "reference", "ratio", "goal", "result" } };
        rows.Add(["llama-bench pp512", ComparisonRow.Rate(results.Prompt), $"(the reference: start {ComparisonRow.Rate(results.Bench?.PromptRate)}, end {ComparisonRow.Rate(results.BenchAgain?.PromptRate)})", "", "", ""]);
        rows.Add([tg, ComparisonRow.Rate(results.Generation), $"(the reference: start {ComparisonRow.Rate(results.Bench?.GenerationRate)}, end {ComparisonRow.Rate(results.BenchAgain?.GenerationRate)})", "", "", ""]);
        rows.Add(ComparisonRow.Of("lean loop, built natives: generation", lean?.Rate, tg, results.Generation, LeanGoal));
        rows.Add(ComparisonRow.Of("lean loop, built natives: 512-token prompt", lean?.PromptRate, "pp512", results.Prompt, PromptGoal));
        rows.Add(ComparisonRow.Of("lean loop, LLamaSharp's natives: generation", leanOwn?.Rate, tg, results.Generation, null));
        rows.Add(ComparisonRow.Of("lean loop, LLamaSharp's natives: 512-token prompt", leanOwn?.PromptRate, "pp512", results.Prompt, null));
        rows.Add(ComparisonRow.Of("llama-server single stream (-np 1, HTTP/SSE)", results.Server?.ClientRate, tg, results.Generation, null));
        rows.Add(ComparisonRow.Of("llama-server's own decode timing (no HTTP)", results.Server?.OwnRate, tg, results.Generation, null));
        rows.Add(ComparisonRow.Of("daemon single stream, built natives", results.Daemon?.SingleStreamRate, tg, results.Generation, DaemonSingleGoal));
        rows.Add(ComparisonRow.Of("daemon single stream, built natives", results.Daemon?.SingleStreamRate, "llama-server", results.Server?.ClientRate, DaemonOverServerGoal));
        rows.Add(ComparisonRow.Of("daemon single stream, LLamaSharp's natives", results.DaemonOwn?.SingleStreamRate, tg, results.Generation, null));
        foreach (var sequences in CpuSettings.Streams)
        {
            rows.Add([$"llama-batched-bench, {sequences} seq", ComparisonRow.Rate(results.Batched?.GetValueOrDefault(sequences)), "(the reference)", "", "", ""]);
        }

        rows.Add(ComparisonRow.Of($"daemon {GoalStreams} streams, built natives", results.Daemon?.AggregateRates[GoalStreams], $"batched-bench {GoalStreams} seq", batched, BatchedGoal));
        rows.Add(ComparisonRow.Of($"daemon {GoalStreams} streams, LLamaSharp's natives", results.DaemonOwn?.AggregateRates[GoalStreams], $"batched-bench {GoalStreams} seq", batched, null));
        var turns = results.HeadToHead is { } h ? $", turn by turn (median of {h.Rounds} rounds)" : ", turn by turn";
        rows.Add(ComparisonRow.OfRatio("daemon single stream, built natives" + turns, tg, results.HeadToHead?.SingleOverBench, DaemonSingleGoal));
        rows.Add(ComparisonRow.OfRatio("daemon single stream, built natives" + turns, "llama-server", results.HeadToHead?.SingleOverServer, DaemonOverServerGoal));
        rows.Add(ComparisonRow.OfRatio($"daemon {GoalStreams} streams, built natives" + turns, $"batched-bench {GoalStreams} seq", results.HeadToHead?.StreamsOverBatched, BatchedGoal));
        rows.Add([$"model's own time to first token ({daemonShape?.PromptTokens.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} tokens)",
            ComparisonRow.Milliseconds(daemonShape?.PromptMilliseconds), "(lean loop, built natives, the daemon's context)", "", "", ""]);
        rows.Add(["daemon time to first token p50, built natives", ComparisonRow.Milliseconds(results.Daemon?.TimeToFirstTokenP50), "", "", "", ""]);
        BenchmarkReport.PrintTable(rows);
        if (results.Server is { } server && server.ClientRate > 1.5 * server.OwnRate)
        {
            // Seen with tiny models: tokens come faster than llama-server writes them, and its events arrive in bursts.
            Console.WriteLine("  llama-server's events arrived in bursts (client rate far above its own timing): compare the daemon with its own timing instead.");
        }

        PrintNatives(results);
        PrintLeanSplit(settings, results);
        if (results.Parameters is { } parameters)
        {
            CpuParameterReport.Print(settings, results.Prompt, results.Generation, parameters, results.Passed);
        }
    }

    /// <summary>The libggml-cpu variant among <paramref name="libraries"/>, e.g. libggml-cpu-zen4.so, or all of them when none is one.</summary>
    public static string CpuCode(IReadOnlyList<string> libraries) =>
        libraries.Where(l => Path.GetFileName(l).StartsWith("libggml-cpu", StringComparison.Ordinal)).ToList() is { Count: > 0 } cpu
            ? string.Join(", ", cpu)
            : "no libggml-cpu*.so mapped";

    private static void PrintNatives(CpuResults results)
    {
        Console.WriteLine();
        Console.WriteLine($"CPU code of the lean loop: built natives {(results.Lean is { } l ? CpuCode(l.Libraries) : "n/a")}; LLamaSharp's {(results.LeanOwn is { } o ? CpuCode(o.Libraries) : "n/a")}");
        if (results.Lean is { } built && built.Libraries.Select(Path.GetFileName).GroupBy(name => name).Any(g => g.Count() > 1))
        {
            Console.WriteLine($"  WARNING: a library is mapped twice in this process: {string.Join(", ", built.Libraries)}");
        }
    }

    /// <summary>Where the lean loop's time per token goes, beside llama-bench's time per token.</summary>
    private static void PrintLeanSplit(CpuSettings settings, CpuResults results)
    {
        var tg = results.Generation;
        var rows = new List<string[]>
        {
            new[] { "per token", "tok/s", "ms/token", "decode call", "logits read", "sampling (argmax)", "managed (rest)", $"x tg{settings.Tokens}", "512 prompt tok/s", "x pp512" },
        };
        if (tg is { } reference)
        {
            rows.Add([$"llama-bench tg{settings.Tokens}", F(reference, 1), F(1000 / reference, 3), "", "", "", "", "1.00", ComparisonRow.Rate(results.Prompt), "1.00"]);
        }

        foreach (var (natives, run) in new[] { ("built", results.Lean), ("LLamaSharp's", results.LeanOwn) })
        {
            foreach (var r in run?.Results ?? [])
            {
                // On the CPU the decode call does the work; the wait (llama_synchronize) is part of "decode call" here.
                rows.Add([$"lean, {natives}: {r.Shape}", F(r.Rate, 1), F(r.MillisecondsPerToken, 3), F(r.DecodeCallMilliseconds + r.WaitMilliseconds, 3),
                    F(r.LogitsReadMilliseconds, 4), F(r.ArgmaxMilliseconds, 4), F(r.ManagedMilliseconds, 4), ComparisonRow.Ratio(r.Rate, tg),
                    ComparisonRow.Rate(r.PromptRate), ComparisonRow.Ratio(r.PromptRate, results.Prompt)]);
            }
        }

        Console.WriteLine();
        Console.WriteLine("Where the lean loop's time goes (ms per generated token; shapes: sequences, KV cache, n_batch/n_ubatch):");
        BenchmarkReport.PrintTable(rows);
    }

    private static string F(double value, int decimals) => BenchmarkReport.F(value, decimals);
}
