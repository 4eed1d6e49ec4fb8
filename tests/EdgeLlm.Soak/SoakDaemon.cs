using System.Globalization;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.Soak;

/// <summary>
/// The daemon under soak, provisioned as an operator would: a settings file in its data directory (every key a real
/// setting, or the daemon refuses to start), three API keys made with <c>edgellm keys create</c> for three tenants, then
/// <c>edgellm serve</c> on a free loopback port, started the way the end-to-end tests start it.
/// </summary>
internal sealed class SoakDaemon : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private SoakDaemon(EdgeLlmProcess process, string model, string keyA, string keyB, string keyC)
    {
        Process = process;
        Model = model;
        KeyA = keyA;
        KeyB = keyB;
        KeyC = keyC;
    }

    public EdgeLlmProcess Process { get; }

    /// <summary>The served model's name, the one requests put in <c>model</c>.</summary>
    public string Model { get; }

    /// <summary>The flooding key (tenant <c>soak-a</c>): the flood and the overload bursts.</summary>
    public string KeyA { get; }

    /// <summary>The polite key (tenant <c>soak-b</c>): steady 8-token completions and the recovery probes.</summary>
    public string KeyB { get; }

    /// <summary>
    /// The misbehaving key (tenant <c>soak-c</c>): cancellation churn, stalled readers, uploads and the fuzzer. Apart from
    /// key A so that, once the daemon shares fairly, its streams get sequences despite the flood and so test what they
    /// are meant to (a stalled reader queued behind the flood stalls nothing). It has every scope, so the fuzzer reaches
    /// the admin routes too.
    /// </summary>
    public string KeyC { get; }

    public static async Task<SoakDaemon> StartAsync(SoakOptions options, CancellationToken cancellationToken)
    {
        var model = Path.GetFileNameWithoutExtension(options.ModelPath);
        await File.WriteAllTextAsync(Path.Combine(options.DataDirectory, "edgellm.json"), Settings(options, model), cancellationToken);
        var keyA = await CreateKeyAsync(options.DataDirectory, "soak-a", ["inference"], cancellationToken);
        var keyB = await CreateKeyAsync(options.DataDirectory, "soak-b", ["inference"], cancellationToken);
        var keyC = await CreateKeyAsync(options.DataDirectory, "soak-c", ["inference", "ingest", "admin"], cancellationToken);
        var process = await EdgeLlmProcess.StartAsync(
            options.ModelPath, createKey: false, arguments: options.ServeSettings, dataDirectory: options.DataDirectory, cancellationToken: cancellationToken);
        try
        {
            if (options.PidFile is not null)
            {
                await File.WriteAllTextAsync(options.PidFile, process.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }

            await process.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
            return new SoakDaemon(process, model, keyA, keyB, keyC);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public bool IsRunning => ProcessProbe.IsAlive(Process.ProcessId);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    /// <summary>
    /// The soak's settings. The logs go off the data disk (so they outlive the disk-full episode and can be read after);
    /// the per-key rate limiter is off so hostile traffic reaches the scheduler's own bounds instead of being turned away
    /// at the door with 429; the model is both the generation and the embedding model; <c>Api:StalledClientTimeout</c> is
    /// 5 s, because stories260K writes a whole 1,500-token answer in well under the 30 s default, so a stalled reader's
    /// generation would end by itself before any cut-off could be seen. Everything else is the default.
    /// </summary>
    private static string Settings(SoakOptions options, string model) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Daemon"] = new Dictionary<string, object> { ["LogDirectory"] = options.LogDirectory },
        ["Api"] = new Dictionary<string, object> { ["RateLimitPerSecond"] = 0, ["StalledClientTimeout"] = "00:00:05" },
        ["Inference"] = new Dictionary<string, object>
        {
            ["FallbackChatTemplate"] = "plain",
            ["Models"] = new[] { new Dictionary<string, object> { ["Name"] = model } },
        },
        ["Retrieval"] = new Dictionary<string, object> { ["EmbeddingModel"] = model },
    });

    private static async Task<string> CreateKeyAsync(string dataDirectory, string tenant, string[] scopes, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", dataDirectory, "--name", tenant, "--tenant", tenant, .. scopes.SelectMany(s => new[] { "--scope", s })],
            cancellationToken: cancellationToken);
        var key = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        return exitCode == 0 && key is not null ? key : throw new InvalidOperationException($"'edgellm keys create' failed (exit {exitCode}):\n{output}");
    }
}
