using System.Collections.Concurrent;
using EdgeLlm.Soak.Scenarios;
using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak;

/// <summary>Runs every scenario against the daemon along the <see cref="Timeline"/> and gathers what they saw.</summary>
internal static class SoakRun
{
    // Defaults of Inference:MaxSequences and Inference:QueueCapacity, unless given after '--'.
    private const int DefaultMaxSequences = 8;
    private const int DefaultQueueCapacity = 32;

    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    // The fuzzer's case timeout (1 minute) and a little: the round running at the end may finish and count.
    private static readonly TimeSpan FuzzRoundGrace = TimeSpan.FromSeconds(75);

    // After the traffic stops: streams drain, idle connections close, the thread pool shrinks back.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    public static async Task<SoakResults> RunAsync(SoakOptions options, SoakDaemon daemon, CancellationToken cancellationToken)
    {
        var pid = daemon.Process.ProcessId;
        var timeline = Timeline.For(options.Duration);
        var maxSequences = options.ServeSetting("Inference:MaxSequences", DefaultMaxSequences);
        var queue = options.ServeSetting("Inference:QueueCapacity", DefaultQueueCapacity);
        var clock = new SoakClock();
        var ledger = new RequestLedger();
        using var http = new SoakHttp(daemon.Process.Address, daemon.Model, ledger, clock);
        var atReady = ProcessProbe.Sample(pid);
        Console.WriteLine($"soak: load average at the start {LoadAverage.Read()} (on {Environment.ProcessorCount} cores; timings mean little on a busy machine)");
        var collection = await http.CreateCollectionAsync(daemon.KeyC, "soak", cancellationToken);
        var fuzzCollection = await http.CreateCollectionAsync(daemon.KeyC, "soak-fuzz", cancellationToken);

        var flood = new KeyFlood(http, clock, daemon.KeyA, daemon.KeyB, maxSequences + 4);
        var churn = new CancellationChurn(http, daemon.KeyC, lanes: 8);
        var stalls = new StalledReaders(http, clock, daemon.KeyC, daemon.KeyB);
        var overload = new Overload(http, clock, daemon.KeyA, daemon.KeyB, maxSequences + queue + 16);
        var diskFull = new DiskFull(http, clock, daemon.KeyC, daemon.KeyB, collection, options.DataDirectory);
        using var fuzzClient = http.ClientFor(daemon.KeyC);
        var fuzzing = new ContractFuzzing(fuzzClient, daemon.Model, fuzzCollection);
        var peaks = new ConcurrentQueue<ProcessSample>();

        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        traffic.CancelAfter(timeline.Total);
        var token = traffic.Token;
        Console.WriteLine($"soak: key B alone until {timeline.UnloadedEnd:mm\\:ss}, key A's flood until {timeline.MixStart:mm\\:ss}, "
            + $"then everything; disk full {timeline.DiskFullStart:mm\\:ss}–{timeline.DiskFullEnd:mm\\:ss}; end {timeline.Total:mm\\:ss}");
        var watch = new DaemonWatch(daemon, options.LogDirectory, clock, traffic);
        var broken = new ConcurrentQueue<string>();
        List<Task> running = [Guard("key B", flood.RunKeyBAsync(token), broken), SampleAsync(pid, peaks, token), Guard("watch", watch.RunAsync(token), broken)];

        await KeyFlood.Delay(timeline.UnloadedEnd - clock.Now, token);
        var atStart = ProcessProbe.Sample(pid);
        running.Add(Guard("flood", flood.RunFloodAsync(token), broken));

        await KeyFlood.Delay(timeline.MixStart - clock.Now, token);
        Console.WriteLine($"soak: {clock.Now:mm\\:ss} everything at once");
        running.Add(Guard("cancellation churn", churn.RunAsync(token), broken));
        running.Add(Guard("stalled readers", stalls.RunAsync(timeline.Total, token), broken));
        running.Add(Guard("overload", overload.RunAsync(timeline.Total, token), broken));
        running.Add(Guard("disk full", diskFull.RunAsync(timeline, token), broken));
        using var fuzzStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var graceOnEnd = token.Register(() =>
        {
            if (watch.SeenDown)
            {
                fuzzStop.Cancel();
            }
            else
            {
                fuzzStop.CancelAfter(FuzzRoundGrace);
            }
        });
        running.Add(Guard("contract fuzzer", fuzzing.RunAsync(token, fuzzStop.Token), broken));
        await Task.WhenAll(running);

        Console.WriteLine($"soak: {clock.Now:mm\\:ss} traffic stopped; settling {Settle.TotalSeconds:0} s before the last sample");
        await KeyFlood.Delay(Settle, cancellationToken);
        var atEnd = ProcessProbe.Sample(pid);
        return new SoakResults(
            options, timeline, ledger, http.StreamErrors, flood, churn, stalls, overload, diskFull, fuzzing,
            new Footprint(atReady, atStart, Peak(peaks), atEnd), watch.Down, LoadAverage.Read(), [.. broken]);
    }

    /// <summary>A scenario that throws is the soak's own fault: it is reported, and the other scenarios carry on.</summary>
    private static async Task Guard(string scenario, Task task, ConcurrentQueue<string> broken)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // The soak's end (or Ctrl-C) reached a scenario between its own checks.
        }
        catch (Exception ex)
        {
            broken.Enqueue($"{scenario}: {ex.GetType().Name}: {ex.Message}");
            Console.Error.WriteLine($"soak: the {scenario} scenario broke: {ex}");
        }
    }

    private static async Task SampleAsync(int pid, ConcurrentQueue<ProcessSample> samples, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (ProcessProbe.Sample(pid) is { } sample)
            {
                samples.Enqueue(sample);
            }

            await KeyFlood.Delay(SampleEvery, cancellationToken);
        }
    }

    private static ProcessSample? Peak(IReadOnlyCollection<ProcessSample> samples) => samples.Count == 0
        ? null
        : new ProcessSample(samples.Max(s => s.RssKiB), samples.Max(s => s.Threads), samples.Max(s => s.FileDescriptors));
}

/// <summary>The daemon's footprint: at ready, at the start of the load (after key B's warm-up), the peak, after the settle.</summary>
internal sealed record Footprint(ProcessSample? AtReady, ProcessSample? AtStart, ProcessSample? Peak, ProcessSample? AtEnd);

internal sealed record SoakResults(
    SoakOptions Options,
    Timeline Timeline,
    RequestLedger Ledger,
    IReadOnlyDictionary<string, long> StreamErrors,
    KeyFlood Flood,
    CancellationChurn Churn,
    StalledReaders Stalls,
    Overload Overload,
    DiskFull DiskFull,
    ContractFuzzing Fuzzing,
    Footprint Footprint,
    DaemonDown? DaemonDown,
    string LoadAverageAtEnd,
    IReadOnlyList<string> BrokenScenarios);
