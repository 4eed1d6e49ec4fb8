using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>
/// <c>EdgeLlm.Benchmarks cpu</c>: on one model and one thread count, llama.cpp's own tools from the built natives
/// folder (llama-bench, llama-batched-bench, llama-server), the daemon on the built natives and on LLamaSharp's, and
/// the lean LLamaSharp loop on both, one after the other, then the daemon and llama.cpp's tools turn by turn
/// (<see cref="HeadToHead"/>), then every figure as a ratio to llama-bench.
/// </summary>
internal static class CpuBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        CpuSettings settings;
        try
        {
            settings = CpuSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(CpuSettings.Usage);
            return 2;
        }

        // Before anything else touches LLamaSharp: this process's lean loop runs on the built natives.
        BuiltNatives.Configure(settings.Natives);
        ComparedDaemon.Use(settings.Daemon);
        var model = ResolveModel(settings.Model);
        var comparison = settings.Comparison;
        CpuReport.PrintHeader(settings, model);

        // The lean loop in this process runs after the others (only the closing llama-bench follows): a native crash there ends the run.
        var bench = await PartAsync("llama-bench", settings, () => LlamaCppTools.PromptAndGenerationAsync(settings.Tool("llama-bench"), model, comparison, [], cancellationToken),
            b => $"pp512 {b.PromptRate:F1} tok/s, tg{settings.Tokens} {b.GenerationRate:F1} tok/s", cancellationToken);
        var batched = await PartAsync("llama-batched-bench", settings, () => LlamaCppTools.BatchedBenchAsync(settings.Tool("llama-batched-bench"), model, comparison, CpuSettings.Streams, cancellationToken),
            r => "generation " + string.Join(", ", r.Select(s => $"{s.Key} seq {s.Value:F1} tok/s")), cancellationToken);
        var server = await PartAsync("llama-server", settings, () => LlamaServer.SingleStreamAsync(settings.Tool("llama-server"), model, comparison, cancellationToken),
            r => $"single stream {r.ClientRate:F1} tok/s (its own timing: {r.OwnRate:F1} tok/s)", cancellationToken);
        var daemon = await DaemonAsync("the daemon on the built natives", model, settings, ["--Inference:NativeDirectory", settings.Natives], cancellationToken);
        var daemonOwn = await DaemonAsync("the daemon on LLamaSharp's natives", model, settings, [], cancellationToken);
        var headToHead = await PartAsync("the daemon on the built natives and llama.cpp's tools, turn by turn", settings,
            () => HeadToHead.RunAsync(model, settings, cancellationToken), HeadToHead.Describe, cancellationToken);
        var parameters = settings.SkipParameters ? null
            : await PartAsync("the parameter table", settings, () => ParameterVariants.MeasureAsync(settings.Tool("llama-bench"), model, comparison, cancellationToken),
                v => $"{v.Count} variants", cancellationToken);
        var leanOwn = await PartAsync("the lean loop on LLamaSharp's natives (child process)", settings,
            () => LeanChild.RunAsync(model, comparison, LeanShape.CpuShapes, cancellationToken), Describe, cancellationToken);
        var lean = await PartAsync("the lean loop on the built natives (this process)", settings,
            () => Task.Run(() => RunLeanLoop(model, settings), cancellationToken),
            Describe, cancellationToken);
        var benchAgain = await PartAsync("llama-bench again (a drift of the machine's speed shows)", settings,
            () => LlamaCppTools.PromptAndGenerationAsync(settings.Tool("llama-bench"), model, comparison, [], cancellationToken),
            b => $"pp512 {b.PromptRate:F1} tok/s, tg{settings.Tokens} {b.GenerationRate:F1} tok/s", cancellationToken);

        var passed = lean is null ? null : PassedParametersOrNull(model);
        var results = new CpuResults(bench, benchAgain, batched, server, daemon, daemonOwn, headToHead, lean, leanOwn, parameters, passed);
        CpuReport.Print(settings, results);
        return results.AllRan(settings) ? 0 : 1;
    }

    private static async Task<ComparedDaemonResult?> DaemonAsync(
        string part, string model, CpuSettings settings, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await PartAsync(part, settings, () => ComparedDaemon.MeasureAsync(model, new DaemonSetup(null, 0, arguments), settings.Comparison, CpuSettings.Streams, cancellationToken),
            d => $"single stream {d.SingleStreamRate:F1} tok/s; aggregate " + string.Join(", ", d.AggregateRates.Select(s => $"{s.Key} streams {s.Value:F1} tok/s"))
                + $"; time to first token p50 {d.TimeToFirstTokenP50:F2} ms", cancellationToken);

    /// <summary>Waits for the machine to be quiet (bounded by --quiet-wait), then runs one participant alone.</summary>
    private static async Task<T?> PartAsync<T>(string part, CpuSettings settings, Func<Task<T>> measure, Func<T, string> describe, CancellationToken cancellationToken)
        where T : class
    {
        Console.WriteLine($"{part} ...");
        await ForeignCpuLoad.WaitForQuietAsync(settings.QuietWait, cancellationToken);
        return await BenchmarkPart.TryAsync(part, measure, describe);
    }

    private static LeanRunResult RunLeanLoop(string model, CpuSettings settings)
    {
        var libraries = BuiltNatives.Load(settings.Natives);
        return new LeanRunResult(LeanLoop.Run(model, settings.Comparison, LeanShape.CpuShapes), libraries);
    }

    private static string Describe(LeanRunResult run) =>
        string.Join("; ", run.Results.Select(r => $"{r.Shape}: {r.Rate:F1} tok/s")) + $"; CPU code: {CpuReport.CpuCode(run.Libraries)}";

    private static IReadOnlyDictionary<Parameter, (string Daemon, string LLamaSharp)>? PassedParametersOrNull(string model)
    {
        try
        {
            return PassedParameters.Read(model);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TypeInitializationException or DllNotFoundException)
        {
            Console.Error.WriteLine($"  what the daemon and LLamaSharp pass could not be read: {ex.Message}");
            return null;
        }
    }

    private static string ResolveModel(string model) => model switch
    {
        "1b-q4" => SyntheticModelFiles.Ensure("tinyllama-1.1b-q4_0-random.gguf", SyntheticLlamaShape.TinyLlama1B),
        "stories" => TestModels.Stories260K,
        _ when File.Exists(model) => Path.GetFullPath(model),
        _ => throw new FileNotFoundException("--model must be 1b-q4, stories or a GGUF file.", model),
    };
}
