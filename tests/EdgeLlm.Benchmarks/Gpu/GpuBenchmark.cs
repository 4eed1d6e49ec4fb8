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

        UseDaemon(settings.Daemon);
        if (settings.CheckGreedy)
        {
            return await GreedyCheck.RunAsync(settings, cancellationToken) ? 0 : 1;
        }

        var model = ResolveModel(settings.Model);
        GpuReport.PrintHeader(settings, model);

        Console.WriteLine("llama.cpp's tools ...");
        var bench = settings.LlamaBench is { } llamaBench ? await LlamaCppTools.LlamaBenchAsync(llamaBench, model, settings, cancellationToken) : null;
        var withoutCudaGraphs = settings.LlamaBench is { } tool ? await LlamaCppTools.GenerationWithoutCudaGraphsAsync(tool, model, settings, cancellationToken) : (double?)null;
        var batched = settings.BatchedBench is { } batchedBench ? await LlamaCppTools.BatchedBenchAsync(batchedBench, model, settings, cancellationToken) : null;

        Console.WriteLine("lean LLamaSharp loop ...");
        LLama.Native.NativeLogConfig.llama_log_set(NativeErrorsOnly);
        if (settings.Module is { } module)
        {
            LoadedNatives.LoadBackendModule(module);
        }

        var lean = LeanLoop.Run(model, settings);

        Console.WriteLine("daemon ...");
        var daemon = await GpuDaemon.MeasureAsync(model, settings, cancellationToken);

        GpuReport.Print(settings, bench, batched, lean, daemon);
        GpuReport.PrintLeanDiagnostics(settings, bench, withoutCudaGraphs, lean);
        return 0;
    }

    // Kept in a static field: native code holds the delegate for the life of the process.
    private static readonly LLama.Native.NativeLogConfig.LLamaLogCallback NativeErrorsOnly = (level, message) =>
    {
        if (level == LLama.Native.LLamaLogLevel.Error)
        {
            Console.Error.Write(message);
        }
    };

    private static string ResolveModel(string model) => model switch
    {
        "1b" => SyntheticModelFiles.Ensure("llama-1.1b-q8_0-random.gguf", SyntheticLlamaShape.Llama1BQ8),
        "stories" => TestModels.Stories260K,
        _ when File.Exists(model) => Path.GetFullPath(model),
        _ => throw new FileNotFoundException("--model must be 1b, stories or a GGUF file.", model),
    };

    /// <summary>--daemon, else the edgellm of a self-contained publish beside this one (same folder or ../daemon), else the build's.</summary>
    private static void UseDaemon(string? daemon)
    {
        // A build copies the daemon's apphost here without its edgellm.dll: only a folder with both holds a daemon.
        string[] beside = [AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "..", "daemon")];
        var published = beside.FirstOrDefault(folder => File.Exists(Path.Combine(folder, "edgellm")) && File.Exists(Path.Combine(folder, "edgellm.dll")));
        if ((daemon ?? (published is null ? null : Path.Combine(published, "edgellm"))) is { } path)
        {
            EdgeLlmProcess.UseDaemon(path);
        }
    }
}
