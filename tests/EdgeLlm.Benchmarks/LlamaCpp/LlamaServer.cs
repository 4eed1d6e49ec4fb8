using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>
/// llama.cpp's own HTTP server from the same build, with one slot (<c>-np 1</c>) on a loopback port: a greedy
/// streamed <c>/completion</c> of the comparison's token count, measured client-side after the first token as
/// the daemon's single stream is.
/// </summary>
internal static class LlamaServer
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Median decode rates of <see cref="ComparisonSettings.Repeats"/> streams, after one warm-up.</summary>
    public static async Task<LlamaServerResult> SingleStreamAsync(string tool, string model, ComparisonSettings settings, CancellationToken cancellationToken)
    {
        await using var server = await StartAsync(tool, model, settings, cancellationToken);
        await server.StreamAsync(4, cancellationToken);
        var runs = new List<(double Client, double Own)>();
        for (var i = 0; i < settings.Repeats; i++)
        {
            runs.Add(await server.StreamAsync(settings.Tokens, cancellationToken));
        }

        return new LlamaServerResult(Percentiles.Median([.. runs.Select(r => r.Client)]), Percentiles.Median([.. runs.Select(r => r.Own)]));
    }

    /// <summary>Starts llama-server with one slot and waits until it takes requests; disposing it stops it.</summary>
    public static async Task<LlamaServerProcess> StartAsync(string tool, string model, ComparisonSettings settings, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Reserve();
        string[] args =
        [
            "-m", model, "--host", "127.0.0.1", "--port", Invariant(port), "-np", "1", "-c", Invariant(settings.ContextSize),
            "-t", Invariant(settings.Threads), "-tb", Invariant(settings.Threads), "-ngl", Invariant(settings.GpuLayers),
        ];
        var output = new StringBuilder();
        var process = new Process { StartInfo = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false } };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LlamaServerProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) });
        try
        {
            await WaitUntilReadyAsync(server.Http, process, output, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Process process, StringBuilder output, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"llama-server exited with code {process.ExitCode} before it was ready:\n{Tail(output)}");
            }

            try
            {
                // 503 while the model loads, 200 once a slot can take requests.
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new TimeoutException($"llama-server was not ready within {ReadyTimeout.TotalMinutes} minutes:\n{Tail(output)}");
    }

    /// <summary>One greedy stream; each event is timestamped the moment its line arrives, before it is parsed.</summary>
    internal static async Task<(double Client, double Own)> StreamAsync(HttpClient http, int tokens, CancellationToken cancellationToken)
    {
        // top_k 1 first makes the default sampler chain greedy without its sorting cost, as the daemon's greedy path is.
        var body = JsonSerializer.Serialize(new { prompt = BenchmarkPrompts.Decode, n_predict = tokens, stream = true, temperature = 0, top_k = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("completion", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"llama-server answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var lines = new List<(long Arrived, string Line)>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add((Stopwatch.GetTimestamp(), line));
        }

        var events = lines
            .Select(l => (Seconds: l.Arrived / (double)Stopwatch.Frequency, Event: LlamaServerEvents.Parse(l.Line)))
            .Where(e => e.Event is not null)
            .Select(e => (e.Seconds, e.Event!))
            .ToList();
        var client = LlamaServerEvents.DecodeRate(events) ?? throw new InvalidDataException($"llama-server streamed fewer than two tokens of {tokens}.");
        var own = events.LastOrDefault(e => e.Item2.Stop).Item2?.OwnRate ?? throw new InvalidDataException("llama-server's stream had no final event with timings.");
        return (client, own);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            return string.Join('\n', output.ToString().TrimEnd().Split('\n').TakeLast(20));
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A running llama-server; <see cref="StreamAsync"/> measures one greedy stream.</summary>
internal sealed class LlamaServerProcess(Process process, HttpClient http) : IAsyncDisposable
{
    public HttpClient Http => http;

    /// <summary>Decode tokens per second of one stream of <paramref name="tokens"/>: client-side, and llama-server's own timing.</summary>
    public Task<(double Client, double Own)> StreamAsync(int tokens, CancellationToken cancellationToken) =>
        LlamaServer.StreamAsync(http, tokens, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
    }
}

/// <param name="ClientRate">Median tokens per second of the stream after its first token, client-side (the daemon's measure).</param>
/// <param name="OwnRate">Median of llama-server's own timings.predicted_per_second: its decode without HTTP.</param>
internal sealed record LlamaServerResult(double ClientRate, double OwnRate);
