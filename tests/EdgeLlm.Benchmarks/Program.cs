using EdgeLlm.Benchmarks;
using EdgeLlm.Benchmarks.Baseline;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Reporting;

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

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the daemon be stopped and its temp folder removed rather than dying mid-run.
    e.Cancel = true;
    cancellation.Cancel();
};

BenchmarkReport.PrintMachine(settings.Threads);
foreach (var model in settings.Models)
{
    var plan = settings.PlanFor(model);
    Console.WriteLine($"\n{model.DisplayName}: baseline ...");

    // The baseline is disposed before the daemon starts: on a small CPU the two must never share the cores.
    await ForeignCpuLoad.WaitForQuietAsync(cancellation.Token);
    var baseline = BaselineRunner.Run(plan);
    Console.WriteLine($"{model.DisplayName}: daemon ...");
    var daemon = await DaemonBenchmark.RunAsync(plan, cancellation.Token);
    BenchmarkReport.Print(plan, baseline, daemon);
}

return 0;
