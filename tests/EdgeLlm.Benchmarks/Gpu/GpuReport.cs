using System.Globalization;
using System.Runtime.InteropServices;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Gpu;

/// <summary>The GPU run's tables: every figure as a ratio to llama.cpp's own, the goals, and where the lean loop's time goes.</summary>
internal static class GpuReport
{
    /// <summary>Single daemon stream over llama-bench tg on the same model.</summary>
    public const double SingleStreamGoal = 0.9;

    /// <summary>Daemon aggregate over llama-batched-bench generation, at <see cref="GoalStreams"/>.</summary>
    public const double BatchedGoal = 0.9;

    public const int GoalStreams = 16;

    /// <summary>Daemon time to first token over the model's own prompt time in the daemon's context shape, in milliseconds.</summary>
    public const double FirstTokenOverheadGoal = 5;

    public static void PrintHeader(GpuSettings settings, string modelPath)
    {
        var file = new FileInfo(modelPath);
        var megabytes = ((file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo) ?? file).Length / 1e6;
        Console.WriteLine("EdgeLlm GPU benchmark: every figure as a ratio to llama.cpp's own tools on the same model, in the same run.");
        Console.WriteLine($"Machine: {BenchmarkReport.CpuModel()}, {Environment.ProcessorCount} logical CPUs; GPU: {GpuMemory.Name() ?? "none (no nvidia-smi)"}; "
            + RuntimeInformation.FrameworkDescription);
        Console.WriteLine($"Model: {Path.GetFileName(modelPath)} ({F(megabytes, 1)} MB); module: {settings.Module ?? "none"}; "
            + $"GPU layers: {(settings.GpuLayers is null && settings.Module is not null ? "all" : settings.EffectiveGpuLayers.ToString(CultureInfo.InvariantCulture))}; "
            + $"threads: {settings.Threads}; flash attention: llama.cpp's default (auto) everywhere");
        Console.WriteLine($"Runs: {settings.Tokens} generated tokens each, median of {settings.Repeats}; context {settings.ContextSize} per sequence");
    }

    public static void Print(
        GpuSettings settings, LlamaBenchResult? bench, IReadOnlyDictionary<int, double>? batched, IReadOnlyList<LeanResult>? lean, ComparedDaemonResult? daemon)
    {
        var tg = $"tg{settings.Tokens}";
        var leanReference = lean?.Single(r => r.Shape == LeanShape.Reference.Name);
        var ownPrompt = lean?.Single(r => r.Shape == LeanShape.GpuDaemon.Name);
        var rows = new List<string[]> { new[] { "metric", "measured", "llama.cpp reference", "ratio", "goal", "result" } };
        rows.Add(["llama-bench pp512", ComparisonRow.Rate(bench?.PromptRate), "(the reference)", "", "", ""]);
        rows.Add([$"llama-bench {tg}", ComparisonRow.Rate(bench?.GenerationRate), "(the reference)", "", "", ""]);
        rows.Add(ComparisonRow.Of("lean LLamaSharp loop, generation", leanReference?.Rate, tg, bench?.GenerationRate, null));
        rows.Add(ComparisonRow.Of("lean LLamaSharp loop, 512-token prompt", leanReference?.PromptRate, "pp512", bench?.PromptRate, null));
        rows.Add(ComparisonRow.Of("daemon single stream (HTTP/SSE)", daemon?.SingleStreamRate, tg, bench?.GenerationRate, SingleStreamGoal));
        foreach (var streams in settings.Streams)
        {
            rows.Add(ComparisonRow.Of($"daemon aggregate, {streams} stream{(streams == 1 ? "" : "s")}", daemon?.AggregateRates[streams],
                $"batched-bench {streams} seq", batched?.GetValueOrDefault(streams), streams == GoalStreams ? BatchedGoal : null));
        }

        rows.Add([$"model's own time to first token ({ownPrompt?.PromptTokens.ToString(CultureInfo.InvariantCulture) ?? "?"} tokens)",
            ComparisonRow.Milliseconds(ownPrompt?.PromptMilliseconds), "(lean loop, the daemon's context)", "", "", ""]);
        foreach (var (name, value) in new[] { ("p50", daemon?.TimeToFirstTokenP50), ("p95", daemon?.TimeToFirstTokenP95) })
        {
            var overhead = value - ownPrompt?.PromptMilliseconds;
            rows.Add([$"daemon time to first token {name}", ComparisonRow.Milliseconds(value), "model's own",
                overhead is { } o ? $"{(o >= 0 ? "+" : "")}{F(o, 2)} ms" : "n/a",
                $"<= +{F(FirstTokenOverheadGoal, 0)} ms", overhead is { } over ? BenchmarkReport.Verdict(over <= FirstTokenOverheadGoal) : "n/a"]);
        }

        rows.Add(["GPU memory with the daemon running", daemon is null ? "n/a" : Memory(daemon.Memory), "", "", "", ""]);
        Console.WriteLine();
        BenchmarkReport.PrintTable(rows);
    }

    /// <summary>Where the lean loop's time per token goes, shape by shape, beside llama-bench's time per token.</summary>
    public static void PrintLeanDiagnostics(GpuSettings settings, LlamaBenchResult? bench, IReadOnlyList<LeanResult> lean)
    {
        var tg = $"tg{settings.Tokens}";
        var rows = new List<string[]>
        {
            new[] { "per token", "tok/s", "ms/token", "Decode call", "wait (sync)", "logits+argmax", $"x llama-bench {tg}", "first token", "512 prompt tok/s" },
        };
        if (bench is not null)
        {
            rows.Add([$"llama-bench {tg}", F(bench.GenerationRate, 1), F(1000 / bench.GenerationRate, 3), "", "", "", "1.00", "", F(bench.PromptRate, 0)]);
            var plain = bench.GenerationRateWithoutCudaGraphs;
            rows.Add([$"llama-bench {tg}, GGML_CUDA_DISABLE_GRAPHS=1", F(plain, 1), F(1000 / plain, 3), "", "", "", ComparisonRow.Ratio(plain, bench.GenerationRate), "", ""]);
        }

        foreach (var r in lean)
        {
            var gap = bench is null ? "" : $" ({(r.MillisecondsPerToken >= 1000 / bench.GenerationRate ? "+" : "")}{F(r.MillisecondsPerToken - (1000 / bench.GenerationRate), 3)} ms)";
            rows.Add([$"lean: {r.Shape}", F(r.Rate, 1), F(r.MillisecondsPerToken, 3), F(r.DecodeCallMilliseconds, 3), F(r.WaitMilliseconds, 3),
                F(r.LogitsReadMilliseconds + r.ArgmaxMilliseconds, 3), ComparisonRow.Ratio(r.Rate, bench?.GenerationRate) + gap, ComparisonRow.Milliseconds(r.PromptMilliseconds), F(r.PromptRate, 0)]);
        }

        Console.WriteLine();
        Console.WriteLine("Where the lean loop's time goes (ms per generated token; n_batch/n_ubatch; first token: the prompt's decode, wait and argmax):");
        BenchmarkReport.PrintTable(rows);
    }

    private static string Memory(GpuMemoryReading? memory) => memory switch
    {
        null => "n/a",
        // nvidia-smi lists no processes inside some containers (their own PID namespace).
        { ProcessMiB: 0 } m => $"{m.UsedMiB} of {m.TotalMiB} MiB used (the daemon's own share not listed)",
        var m => $"{m.UsedMiB} of {m.TotalMiB} MiB used; the daemon holds {m.ProcessMiB} MiB",
    };

    private static string F(double value, int decimals) => BenchmarkReport.F(value, decimals);
}
