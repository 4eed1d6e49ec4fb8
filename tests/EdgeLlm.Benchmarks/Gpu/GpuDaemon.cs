using System.Globalization;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Gpu;

/// <summary>The real daemon, configured as an operator would for the GPU, measured over HTTP/SSE.</summary>
internal static class GpuDaemon
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Starts <c>edgellm serve</c> on <paramref name="modelPath"/> with <paramref name="module"/> loaded and
    /// <paramref name="gpuLayers"/> offloaded (null: the daemon's default, all layers when a GPU is present).
    /// </summary>
    public static async Task<EdgeLlmProcess> StartAsync(
        string modelPath, string? module, int? gpuLayers, GpuSettings settings, int maxSequences, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["EDGELLM__Inference__Threads"] = Invariant(settings.Threads),
            ["EDGELLM__Inference__ContextSize"] = Invariant(settings.ContextSize),
            ["EDGELLM__Inference__MaxSequences"] = Invariant(maxSequences),
        };
        if (module is not null)
        {
            environment["EDGELLM__Inference__BackendModules__0"] = module;
        }

        if (gpuLayers is { } layers)
        {
            environment["EDGELLM__Inference__GpuLayers"] = Invariant(layers);
        }

        var daemon = await EdgeLlmProcess.StartAsync(modelPath, environment: environment, cancellationToken: cancellationToken);
        try
        {
            await daemon.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Single stream, aggregate at each --streams count, time to first token and GPU memory, on one daemon.</summary>
    public static async Task<GpuDaemonResult> MeasureAsync(string modelPath, GpuSettings settings, CancellationToken cancellationToken)
    {
        await using var daemon = await StartAsync(modelPath, settings.Module, settings.GpuLayers, settings, settings.Streams.Max(), cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(5) };
            var client = new SseClient(http, daemon.ApiKey!);

            // Warm-up: JIT of the request path, a pooled connection per stream, and the batched graphs of every size.
            foreach (var streams in settings.Streams)
            {
                await StreamLoad.RunAsync(client, streams, 4, cancellationToken);
            }

            var single = new List<double>();
            for (var i = 0; i < settings.Repeats; i++)
            {
                single.Add((await client.CompleteAsync(BenchmarkPrompts.Decode, settings.Tokens, cancellationToken)).DecodeRate);
            }

            // Rounds over all concurrencies rather than one concurrency's repeats in a row; the median round counts.
            var rounds = settings.Streams.ToDictionary(streams => streams, _ => new List<double>());
            for (var i = 0; i < settings.Repeats; i++)
            {
                foreach (var streams in settings.Streams)
                {
                    rounds[streams].Add((await StreamLoad.RunAsync(client, streams, settings.Tokens, cancellationToken)).TokensPerSecond);
                }
            }

            var memory = GpuMemory.Read(daemon.ProcessId);
            var firstToken = new List<double>();
            for (var i = 0; i < settings.TtftRuns; i++)
            {
                firstToken.Add((await client.CompleteAsync(BenchmarkPrompts.FirstToken, 1, cancellationToken)).TimeToFirstToken.TotalMilliseconds);
            }

            return new GpuDaemonResult(
                Percentiles.Median(single),
                settings.Streams.ToDictionary(streams => streams, streams => Percentiles.Median(rounds[streams])),
                Percentiles.Of(firstToken, 50),
                Percentiles.Of(firstToken, 95),
                memory);
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <param name="SingleStreamRate">Median decode tokens per second of one stream, client-side.</param>
/// <param name="AggregateRates">Streams → median aggregate tokens per second.</param>
/// <param name="TimeToFirstTokenP50">Milliseconds.</param>
/// <param name="TimeToFirstTokenP95">Milliseconds.</param>
/// <param name="Memory">GPU memory while the daemon held the model and every stream's KV cache; null without a GPU.</param>
internal sealed record GpuDaemonResult(
    double SingleStreamRate, IReadOnlyDictionary<int, double> AggregateRates, double TimeToFirstTokenP50, double TimeToFirstTokenP95, GpuMemoryReading? Memory);
