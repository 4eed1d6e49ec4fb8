using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Gpu;

/// <summary>
/// Greedy stories260K through the daemon twice, on the CPU (no module, no layers offloaded) and with the
/// module (every layer offloaded unless --gpu-layers says otherwise): the texts must be identical.
/// </summary>
internal static class GreedyCheck
{
    private const int MaxTokens = 64;

    /// <returns>True when both texts are identical.</returns>
    public static async Task<bool> RunAsync(GpuSettings settings, CancellationToken cancellationToken)
    {
        var model = TestModels.Stories260K;
        var cpu = await CompleteAsync(model, null, 0, settings, cancellationToken);
        var gpu = await CompleteAsync(model, settings.Module, settings.GpuLayers, settings, cancellationToken);
        var identical = cpu == gpu;
        Console.WriteLine($"Greedy check: stories260K, {MaxTokens} tokens of \"{BenchmarkPrompts.Decode}\" through the daemon");
        Console.WriteLine($"  CPU (no module, 0 GPU layers): {Quote(cpu)}");
        Console.WriteLine($"  {(settings.Module is null ? "second run, no --module (CPU again)" : $"module {Path.GetFileName(settings.Module)}, GPU layers {settings.GpuLayers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}")}: {Quote(gpu)}");
        Console.WriteLine($"  identical: {(identical ? "yes" : "NO")}");
        return identical;
    }

    private static async Task<string> CompleteAsync(string model, string? module, int? gpuLayers, GpuSettings settings, CancellationToken cancellationToken)
    {
        await using var daemon = await ComparedDaemon.StartAsync(model, new DaemonSetup(module, gpuLayers, []), settings.Comparison, 1, cancellationToken);
        try
        {
            using var http = daemon.CreateClient(TimeSpan.FromMinutes(2));
            var body = JsonSerializer.Serialize(new { prompt = BenchmarkPrompts.Decode, max_tokens = MaxTokens, temperature = 0 });
            using var response = await http.PostAsync(
                new Uri("v1/completions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The daemon answered {(int)response.StatusCode}: {json}");
            }

            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("choices")[0].GetProperty("text").GetString() ?? "";
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    // Quoted with escapes for control characters only, so a difference in the text stays readable.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string text) => JsonSerializer.Serialize(text, Readable);
}
