using EdgeLlm.Benchmarks;
using EdgeLlm.Benchmarks.Baseline;
using EdgeLlm.Benchmarks.Cpu;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Gpu;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Benchmarks.Retrieval;

// Hidden: the CPU benchmark's lean loop on LLamaSharp's own natives, started by the benchmark itself.
if (args is [LeanChild.Command, var leanModel, var leanRequest])
{
    return LeanChild.RunChild(leanModel, leanRequest);
}

if (args is ["retrieval-vectors", ..])
{
    return await RetrievalVectorBenchmark.RunAsync(args[1..]);
}

if (args is ["updates-staging", ..])
{
    return await EdgeLlm.Benchmarks.Updates.StagingBenchmark.RunAsync(args[1..]);
}

if (args is ["telemetry-outbox", ..])
{
    return await EdgeLlm.Benchmarks.Telemetry.OutboxBenchmark.RunAsync(args[1..]);
}

if (args is ["model-load", .. var loadArgs])
{
    if (loadArgs is ["--help"] or ["-h"])
    {
        Console.WriteLine(EdgeLlm.Benchmarks.Portfolio.ModelLoadBenchmark.Usage);
        return 0;
    }

    return await EdgeLlm.Benchmarks.Portfolio.ModelLoadBenchmark.RunAsync(loadArgs);
}

if (args is ["guard-detectors", ..])
{
    return EdgeLlm.Benchmarks.Guardrails.DetectorBenchmark.Run(args[1..]);
}

if (args is ["guard-stream", .. var guardStreamArgs])
{
    if (guardStreamArgs is ["--help"] or ["-h"])
    {
        Console.WriteLine(EdgeLlm.Benchmarks.Guardrails.StreamFilterBenchmark.Usage);
        return 0;
    }

    return await EdgeLlm.Benchmarks.Guardrails.StreamFilterBenchmark.RunAsync(guardStreamArgs);
}

if (args is ["retrieval-store", ..])
{
    return await RetrievalStoreBenchmark.RunAsync(args[1..]);
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the daemon be stopped and its temp folder removed rather than dying mid-run.
    e.Cancel = true;
    cancellation.Cancel();
};

if (args is ["gpu", .. var gpuArgs])
{
    if (gpuArgs is ["--help"] or ["-h"])
    {
        Console.WriteLine(GpuSettings.Usage);
        return 0;
    }

    return await GpuBenchmark.RunAsync(gpuArgs, cancellation.Token);
}

if (args is ["routing", .. var routingArgs])
{
    return await EdgeLlm.Benchmarks.Routing.RoutingBenchmark.RunAsync(routingArgs, cancellation.Token);
}

if (args is ["structured", .. var structuredArgs])
{
    return await EdgeLlm.Benchmarks.Structured.StructuredBenchmark.RunAsync(structuredArgs, cancellation.Token);
}

if (args is ["reuse", .. var reuseArgs])
{
    if (reuseArgs is ["--help"] or ["-h"])
    {
        Console.WriteLine(EdgeLlm.Benchmarks.Reuse.ReuseSettings.Usage);
        return 0;
    }

    return await EdgeLlm.Benchmarks.Reuse.ReuseBenchmark.RunAsync(reuseArgs, cancellation.Token);
}

if (args is ["ollama", .. var ollamaArgs])
{
    if (ollamaArgs is ["--help"] or ["-h"])
    {
        Console.WriteLine(EdgeLlm.Benchmarks.Ollama.OllamaSettings.Usage);
        return 0;
    }

    return await EdgeLlm.Benchmarks.Ollama.OllamaBenchmark.RunAsync(ollamaArgs, cancellation.Token);
}

if (args is ["cpu", .. var cpuArgs])
{
    if (cpuArgs is ["--help"] or ["-h"])
    {
        Console.WriteLine(CpuSettings.Usage);
        return 0;
    }

    return await CpuBenchmark.RunAsync(cpuArgs, cancellation.Token);
}

BenchmarkSettings settings;
try
{
    if (args is ["--help"] or ["-h"])
    {
        Console.WriteLine(BenchmarkSettings.Usage);
        return 0;
    }

    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkSettings.Usage);
    return 2;
}

BenchmarkReport.PrintMachine(settings.Threads);
foreach (var model in settings.Models)
{
    var plan = settings.PlanFor(model);

    // Baseline, daemon, baseline again: never two at once (on a small CPU they must not share the cores),
    // and the two baseline brackets cancel a drift of the machine's speed during the run.
    Console.WriteLine($"\n{model.DisplayName}: baseline ...");
    await ForeignCpuLoad.WaitForQuietAsync(cancellation.Token);
    var before = BaselineRunner.Run(plan);
    Console.WriteLine($"{model.DisplayName}: daemon ...");
    var daemon = await DaemonBenchmark.RunAsync(plan, cancellation.Token);
    Console.WriteLine($"{model.DisplayName}: baseline again ...");
    await ForeignCpuLoad.WaitForQuietAsync(cancellation.Token);
    var after = BaselineRunner.Run(plan);
    var ceiling = plan.Model.HasConcurrencyGoal ? BatchedCeiling.Measure(plan, 8) : ((double One, double Many)?)null;
    BenchmarkReport.Print(plan, new BaselineResult(before, after), daemon, ceiling);
}

return 0;
