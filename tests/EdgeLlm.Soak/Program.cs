using EdgeLlm.Soak;
using EdgeLlm.Soak.Reporting;

// The soak behind scripts/soak.sh: provisions and starts the daemon on the data directory the script mounted, runs
// every scenario for the given time, prints the report and exits 1 when a goal failed (2: it could not run).
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SoakOptions.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop the traffic, kill the daemon and print what was seen, instead of dying with the daemon still running.
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    await using var daemon = await SoakDaemon.StartAsync(options, cancellation.Token);
    Console.WriteLine($"soak: daemon pid {daemon.Process.ProcessId} on {daemon.Process.Address}, data directory {options.DataDirectory}, logs {options.LogDirectory}");
    var results = await SoakRun.RunAsync(options, daemon, cancellation.Token);
    var met = SoakReport.Print(results);
    if (cancellation.IsCancellationRequested)
    {
        Console.WriteLine("\nsoak: interrupted; the report covers the part that ran.");
        return 130;
    }

    return met ? 0 : 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("soak: interrupted before the traffic began.");
    return 130;
}
