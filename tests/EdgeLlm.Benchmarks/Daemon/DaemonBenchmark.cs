using System.Globalization;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Daemon;

/// <summary>Everything measured through the daemon over HTTP/SSE, one phase after the other on one daemon.</summary>
internal static class DaemonBenchmark
{
    private const int OutputLinesShown = 40;
    private static readonly int[] Concurrency = [1, 2, 4, 8];
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public static async Task<DaemonResult> RunAsync(BenchmarkPlan plan, CancellationToken cancellationToken)
    {
        // Settings through EDGELLM__ environment variables, as an operator would set them.
        var environment = new Dictionary<string, string>
        {
            ["EDGELLM__Inference__Threads"] = plan.Threads.ToString(CultureInfo.InvariantCulture),
            ["EDGELLM__Inference__ContextSize"] = plan.ContextSize.ToString(CultureInfo.InvariantCulture),
            ["EDGELLM__Inference__MaxSequences"] = "8",
        };
        await using var daemon = await EdgeLlmProcess.StartAsync(plan.ModelPath, environment: environment, cancellationToken: cancellationToken);
        try
        {
            await daemon.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
            return await MeasureAsync(daemon, plan, cancellationToken);
        }
        finally
        {
            await StopAsync(daemon);
        }
    }

    private static async Task<DaemonResult> MeasureAsync(EdgeLlmProcess daemon, BenchmarkPlan plan, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(10) };
        var client = new SseClient(http, daemon.ApiKey!);
        await ForeignCpuLoad.WaitForQuietAsync(cancellationToken, daemon.ProcessId);
        var foreignLoad = ForeignCpuLoad.Start(daemon.ProcessId);

        // Warm-up: JIT of the request path, one pooled connection per stream, and the batched graph sizes.
        await StreamLoad.RunAsync(client, Concurrency[^1], 4, cancellationToken);

        var single = new List<StreamTiming>();
        for (var i = 0; i < plan.Repeats; i++)
        {
            single.Add(await client.CompleteAsync(BenchmarkPrompts.Decode, plan.DecodeTokens, cancellationToken));
        }

        // Rounds of 1, 2, 4, 8 streams rather than all repeats of one concurrency in a row, so a slow spell of
        // the machine does not land on one concurrency alone; the median round per concurrency counts.
        var rounds = Concurrency.ToDictionary(streams => streams, _ => new List<LoadResult>());
        for (var i = 0; i < plan.Repeats; i++)
        {
            foreach (var streams in Concurrency)
            {
                rounds[streams].Add(await StreamLoad.RunAsync(client, streams, plan.StreamTokens, cancellationToken));
            }
        }

        var loads = Concurrency.Select(streams => Median(rounds[streams])).ToList();

        // Sequential requests for one token each: nothing else runs, so this is the daemon's own latency.
        var firstToken = new List<double>();
        for (var i = 0; i < plan.TtftRuns; i++)
        {
            var timing = await client.CompleteAsync(BenchmarkPrompts.FirstToken, 1, cancellationToken);
            firstToken.Add(timing.TimeToFirstToken.TotalMilliseconds);
        }

        return new DaemonResult(
            Percentiles.Median(single.Select(t => t.DecodeRate).ToArray()),
            single[^1].CompletionTokens,
            loads,
            Percentiles.Of(firstToken, 50),
            Percentiles.Of(firstToken, 95),
            foreignLoad.Share());
    }

    /// <summary>Stops the daemon as systemd would; a hang is killed when the daemon is disposed, a failed exit shows its log.</summary>
    public static async Task StopAsync(EdgeLlmProcess daemon)
    {
        int exitCode;
        try
        {
            exitCode = await daemon.TerminateAsync(StopTimeout);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"The daemon ignored SIGTERM for {StopTimeout.TotalSeconds} s; killing it.");
            return;
        }

        if (exitCode != 0)
        {
            var tail = daemon.Output.TrimEnd().Split('\n').TakeLast(OutputLinesShown);
            Console.Error.WriteLine($"The daemon exited with code {exitCode}. Its last output:\n{string.Join('\n', tail)}");
        }
    }

    private static LoadResult Median(List<LoadResult> rounds) => rounds.OrderBy(r => r.TokensPerSecond).ElementAt((rounds.Count - 1) / 2);
}

/// <param name="DecodeRate">Median single-stream decode tokens per second, client-side.</param>
/// <param name="DecodeTokens">Completion tokens of a single-stream run.</param>
/// <param name="Loads">Aggregate throughput at each concurrency.</param>
/// <param name="TimeToFirstTokenP50">Median time to first token, in milliseconds.</param>
/// <param name="TimeToFirstTokenP95">95th percentile time to first token, in milliseconds.</param>
/// <param name="ForeignCpuShare">Share of the CPUs other processes used meanwhile (0-1).</param>
internal sealed record DaemonResult(
    double DecodeRate, int DecodeTokens, IReadOnlyList<LoadResult> Loads, double TimeToFirstTokenP50, double TimeToFirstTokenP95, double ForeignCpuShare);
