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
        var collection = await http.CreateCollectionAsync(daemon.KeyA, "soak", cancellationToken);
        var fuzzCollection = await http.CreateCollectionAsync(daemon.KeyA, "soak-fuzz", cancellationToken);

        var flood = new KeyFlood(http, clock, daemon.KeyA, daemon.KeyB, maxSequences + 4);
        var churn = new CancellationChurn(http, daemon.KeyA, lanes: 8);
        var stalls = new StalledReaders(http, clock, daemon.KeyA, daemon.KeyB);
        var overload = new Overload(http, clock, daemon.KeyA, daemon.KeyB, maxSequences + queue + 16);
        var diskFull = new DiskFull(http, clock, daemon.KeyA, collection, options.DataDirectory);
        using var fuzzClient = http.ClientFor(daemon.KeyA);
        var fuzzing = new ContractFuzzing(fuzzClient, daemon.Model, fuzzCollection);
        var peaks = new ConcurrentQueue<ProcessSample>();

        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        traffic.CancelAfter(timeline.Total);
        var token = traffic.Token;
        Console.WriteLine($"soak: key B alone until {timeline.UnloadedEnd:mm\\:ss}, key A's flood until {timeline.MixStart:mm\\:ss}, "
            + $"then everything; disk full {timeline.DiskFullStart:mm\\:ss}–{timeline.DiskFullEnd:mm\\:ss}; end {timeline.Total:mm\\:ss}");
        List<Task> running = [flood.RunKeyBAsync(token), SampleAsync(pid, peaks, token)];

        await KeyFlood.Delay(timeline.UnloadedEnd - clock.Now, token);
        var atStart = ProcessProbe.Sample(pid);
        running.Add(flood.RunFloodAsync(token));

        await KeyFlood.Delay(timeline.MixStart - clock.Now, token);
        Console.WriteLine($"soak: {clock.Now:mm\\:ss} everything at once");
        running.Add(churn.RunAsync(token));
        running.Add(stalls.RunAsync(timeline.Total, token));
        running.Add(overload.RunAsync(timeline.Total, token));
        running.Add(diskFull.RunAsync(timeline, token));
        running.Add(fuzzing.RunAsync(token));
        await Task.WhenAll(running);

        Console.WriteLine($"soak: {clock.Now:mm\\:ss} traffic stopped; settling {Settle.TotalSeconds:0} s before the last sample");
        await KeyFlood.Delay(Settle, cancellationToken);
        var atEnd = ProcessProbe.Sample(pid);
        return new SoakResults(
            options, timeline, ledger, http.StreamErrors, flood, churn, stalls, overload, diskFull, fuzzing,
            new Footprint(atReady, atStart, Peak(peaks), atEnd), daemon.IsRunning);
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
    bool DaemonAlive);
