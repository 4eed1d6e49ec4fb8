using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>
/// The daemon on the built natives against llama.cpp's tools, turn by turn: llama-server and the daemon both
/// running (idle while the other measures), each round measuring the daemon and its reference back to back, in
/// alternating order. Generation on a small VM drifts by more than the goals' margins within minutes; a ratio of
/// two measurements taken seconds apart, the median over rounds, does not carry that drift.
/// </summary>
internal static class HeadToHead
{
    // Lets the previous turn's OpenMP workers stop spinning before the next participant measures.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    public static async Task<HeadToHeadResult> RunAsync(string model, CpuSettings settings, CancellationToken cancellationToken)
    {
        var comparison = settings.Comparison;
        var once = comparison with { Repeats = 1 };
        var streams = CpuReport.GoalStreams;
        await using var server = await LlamaServer.StartAsync(settings.Tool("llama-server"), model, comparison, cancellationToken);
        await using var daemon = await ComparedDaemon.StartAsync(
            model, new DaemonSetup(null, 0, ["--Inference:NativeDirectory", settings.Natives]), comparison, streams, cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(5) };
            var client = new SseClient(http, daemon.ApiKey!);
            await server.StreamAsync(4, cancellationToken);
            await StreamLoad.RunAsync(client, 1, 4, cancellationToken);
            await StreamLoad.RunAsync(client, streams, 4, cancellationToken);

            var overServer = new List<double>();
            var overBench = new List<double>();
            var overBatched = new List<double>();
            for (var round = 0; round < comparison.Repeats; round++)
            {
                var daemonFirst = round % 2 == 1;
                async Task<double> Single() => (await client.CompleteAsync(BenchmarkPrompts.Decode, comparison.Tokens, cancellationToken)).DecodeRate;
                overServer.Add(await RatioAsync(Single, async () => (await server.StreamAsync(comparison.Tokens, cancellationToken)).Client, daemonFirst, cancellationToken));
                overBench.Add(await RatioAsync(Single, () => LlamaCppTools.GenerationAsync(settings.Tool("llama-bench"), model, once, cancellationToken), daemonFirst, cancellationToken));
                overBatched.Add(await RatioAsync(
                    async () => (await StreamLoad.RunAsync(client, streams, comparison.Tokens, cancellationToken)).TokensPerSecond,
                    async () => (await LlamaCppTools.BatchedBenchAsync(settings.Tool("llama-batched-bench"), model, once, [streams], cancellationToken))[streams],
                    daemonFirst,
                    cancellationToken));
            }

            return new HeadToHeadResult(comparison.Repeats, Percentiles.Median(overBench), Percentiles.Median(overServer), Percentiles.Median(overBatched));
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    public static string Describe(HeadToHeadResult r) =>
        $"{r.Rounds} rounds; median daemon ratios: {r.SingleOverBench:F2} of llama-bench tg, {r.SingleOverServer:F2} of llama-server, "
        + $"{r.StreamsOverBatched:F2} of llama-batched-bench at {CpuReport.GoalStreams}";

    private static async Task<double> RatioAsync(Func<Task<double>> ours, Func<Task<double>> reference, bool oursFirst, CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        var first = await (oursFirst ? ours : reference)();
        await Task.Delay(Settle, cancellationToken);
        var second = await (oursFirst ? reference : ours)();
        return oursFirst ? first / second : second / first;
    }
}

/// <summary>Medians over <paramref name="Rounds"/> rounds of the daemon's rate over its reference's in the same round.</summary>
internal sealed record HeadToHeadResult(int Rounds, double SingleOverBench, double SingleOverServer, double StreamsOverBatched);
