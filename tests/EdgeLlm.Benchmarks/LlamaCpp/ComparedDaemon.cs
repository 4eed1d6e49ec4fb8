using System.Globalization;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Gpu;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>The real daemon, configured as an operator would, measured over HTTP/SSE beside llama.cpp's own tools.</summary>
internal static class ComparedDaemon
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <summary>--daemon, else the edgellm of a self-contained publish beside this one (same folder or ../daemon), else the build's.</summary>
    public static void Use(string? daemon)
    {
        // A build copies the daemon's apphost here without its edgellm.dll: only a folder with both holds a daemon.
        string[] beside = [AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "..", "daemon")];
        var published = beside.FirstOrDefault(folder => File.Exists(Path.Combine(folder, "edgellm")) && File.Exists(Path.Combine(folder, "edgellm.dll")));
        if ((daemon ?? (published is null ? null : Path.Combine(published, "edgellm"))) is { } path)
        {
            EdgeLlmProcess.UseDaemon(path);
        }
    }

    /// <summary>
    /// Starts <c>edgellm serve</c> on <paramref name="modelPath"/> with the comparison's threads and context per
    /// sequence, <paramref name="maxSequences"/> sequences and <paramref name="setup"/>'s module, layers and settings.
    /// </summary>
    public static async Task<EdgeLlmProcess> StartAsync(
        string modelPath, DaemonSetup setup, ComparisonSettings settings, int maxSequences, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["EDGELLM__Inference__Threads"] = Invariant(settings.Threads),
            ["EDGELLM__Inference__ContextSize"] = Invariant(settings.ContextSize),
            ["EDGELLM__Inference__MaxSequences"] = Invariant(maxSequences),
        };
        if (setup.Module is not null)
        {
            environment["EDGELLM__Inference__BackendModules__0"] = setup.Module;
        }

        if (setup.GpuLayers is { } layers)
        {
            environment["EDGELLM__Inference__GpuLayers"] = Invariant(layers);
        }

        var daemon = await EdgeLlmProcess.StartAsync(modelPath, arguments: setup.Arguments, environment: environment, cancellationToken: cancellationToken);
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

    /// <summary>Single stream, aggregate at each count of <paramref name="streams"/>, time to first token and GPU memory, on one daemon.</summary>
    public static async Task<ComparedDaemonResult> MeasureAsync(
        string modelPath, DaemonSetup setup, ComparisonSettings settings, IReadOnlyList<int> streams, CancellationToken cancellationToken)
    {
        await using var daemon = await StartAsync(modelPath, setup, settings, streams.Max(), cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(5) };
            var client = new SseClient(http, daemon.ApiKey!);

            // Warm-up: JIT of the request path, a pooled connection per stream, and the batched graphs of every size.
            foreach (var count in streams)
            {
                await StreamLoad.RunAsync(client, count, 4, cancellationToken);
            }

            var single = new List<double>();
            for (var i = 0; i < settings.Repeats; i++)
            {
                single.Add((await client.CompleteAsync(BenchmarkPrompts.Decode, settings.Tokens, cancellationToken)).DecodeRate);
            }

            // Rounds over all concurrencies rather than one concurrency's repeats in a row; the median round counts.
            var rounds = streams.ToDictionary(count => count, _ => new List<double>());
            for (var i = 0; i < settings.Repeats; i++)
            {
                foreach (var count in streams)
                {
                    rounds[count].Add((await StreamLoad.RunAsync(client, count, settings.Tokens, cancellationToken)).TokensPerSecond);
                }
            }

            var memory = GpuMemory.Read(daemon.ProcessId);
            var firstToken = new List<double>();
            for (var i = 0; i < settings.TtftRuns; i++)
            {
                firstToken.Add((await client.CompleteAsync(BenchmarkPrompts.FirstToken, 1, cancellationToken)).TimeToFirstToken.TotalMilliseconds);
            }

            return new ComparedDaemonResult(
                Percentiles.Median(single),
                streams.ToDictionary(count => count, count => Percentiles.Median(rounds[count])),
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

/// <summary>How the daemon is set up beyond the shared settings.</summary>
/// <param name="Module">A ggml backend module (Inference:BackendModules); null: none.</param>
/// <param name="GpuLayers">Inference:GpuLayers; null: the daemon's default.</param>
/// <param name="Arguments">More <c>serve</c> arguments, e.g. <c>--Inference:NativeDirectory DIR</c>.</param>
internal sealed record DaemonSetup(string? Module, int? GpuLayers, IReadOnlyList<string> Arguments);

/// <param name="SingleStreamRate">Median decode tokens per second of one stream, client-side.</param>
/// <param name="AggregateRates">Streams → median aggregate tokens per second.</param>
/// <param name="TimeToFirstTokenP50">Milliseconds.</param>
/// <param name="TimeToFirstTokenP95">Milliseconds.</param>
/// <param name="Memory">GPU memory while the daemon held the model and every stream's KV cache; null without a GPU.</param>
internal sealed record ComparedDaemonResult(
    double SingleStreamRate, IReadOnlyDictionary<int, double> AggregateRates, double TimeToFirstTokenP50, double TimeToFirstTokenP95, GpuMemoryReading? Memory);
