using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Gpu;

/// <summary>
/// <c>EdgeLlm.Benchmarks gpu</c>: llama.cpp's own tools, the lean LLamaSharp loop and the daemon on one model,
/// one after the other (never two on the GPU at once), then the report. Runs from a self-contained publish.
/// </summary>
internal static class GpuBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        GpuSettings settings;
        try
        {
            settings = GpuSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(GpuSettings.Usage);
            return 2;
        }

        ComparedDaemon.Use(settings.Daemon);
        if (settings.CheckGreedy)
        {
            return await GreedyCheck.RunAsync(settings, cancellationToken) ? 0 : 1;
        }

        var model = ResolveModel(settings.Model);
        GpuReport.PrintHeader(settings, model);

        // Each part's figures are printed as soon as they exist and a failed part leaves only its own rows
        // empty: on a GPU machine lent for minutes, one broken tool must not cost the other figures. The
        // daemon runs before the lean loop loads the module into this process, whose native crash would end the run.
        Console.WriteLine("llama-bench ...");
        var bench = settings.LlamaBench is { } llamaBench
            ? await BenchmarkPart.TryAsync("llama-bench", () => LlamaCppTools.LlamaBenchAsync(llamaBench, model, settings.Comparison, cancellationToken), b =>
                $"pp512 {b.PromptRate:F1} tok/s, tg{settings.Tokens} {b.GenerationRate:F1} tok/s ({b.GenerationRateWithoutCudaGraphs:F1} without CUDA graphs)")
            : null;
        Console.WriteLine("llama-batched-bench ...");
        var batched = settings.BatchedBench is { } batchedBench
            ? await BenchmarkPart.TryAsync("llama-batched-bench", () => LlamaCppTools.BatchedBenchAsync(batchedBench, model, settings.Comparison, settings.Streams, cancellationToken), r =>
                "generation " + string.Join(", ", r.Select(s => $"{s.Key} seq {s.Value:F1} tok/s")))
            : null;
        Console.WriteLine("daemon ...");
        var daemon = await BenchmarkPart.TryAsync("the daemon", () => ComparedDaemon.MeasureAsync(model, settings.DaemonSetup, settings.Comparison, settings.Streams, cancellationToken), d =>
            $"single stream {d.SingleStreamRate:F1} tok/s; aggregate " + string.Join(", ", d.AggregateRates.Select(s => $"{s.Key} streams {s.Value:F1} tok/s"))
            + $"; time to first token p50 {d.TimeToFirstTokenP50:F2} ms");
        Console.WriteLine("lean LLamaSharp loop ...");
        var lean = await BenchmarkPart.TryAsync("the lean loop", () => Task.Run(() => RunLeanLoop(model, settings), cancellationToken), l =>
            string.Join("; ", l.Select(r => $"{r.Shape}: {r.Rate:F1} tok/s")));

        GpuReport.Print(settings, bench, batched, lean, daemon);
        if (lean is not null)
        {
            GpuReport.PrintLeanDiagnostics(settings, bench, lean);
        }

        var allRan = (settings.LlamaBench is null || bench is not null) && (settings.BatchedBench is null || batched is not null) && daemon is not null && lean is not null;
        return allRan ? 0 : 1;
    }

    private static IReadOnlyList<LeanResult> RunLeanLoop(string model, GpuSettings settings)
    {
        NativeLog.ErrorsOnly();
        if (settings.Module is { } module)
        {
            LoadedNatives.LoadBackendModule(module);
        }

        return LeanLoop.Run(model, settings.Comparison, LeanShape.GpuShapes);
    }

    private static string ResolveModel(string model) => model switch
    {
        "1b" => SyntheticModelFiles.Ensure("llama-1.1b-q8_0-random.gguf", SyntheticLlamaShape.Llama1BQ8),
        "stories" => TestModels.Stories260K,
        _ when File.Exists(model) => Path.GetFullPath(model),
        _ => throw new FileNotFoundException("--model must be 1b, stories or a GGUF file.", model),
    };
}
