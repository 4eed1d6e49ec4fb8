using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Telemetry;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Faults;

/// <summary>A background worker that fails every time it starts (fault point <c>worker-throw:NAME</c>), in the real daemon.</summary>
public sealed class WorkerSupervisionTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AWorkerThatKeepsFailingIsRestartedWithBackOffShownInStatusAndMetricsWhileInferenceGoesOn()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(
            TestModels.Stories260K, environment: new Dictionary<string, string> { ["EDGELLM_FAULT_POINT"] = "worker-throw:DropFolderWatcher" });
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        var (_, created) = await EdgeLlmProcess.RunToEndAsync(["keys", "create", "--data-dir", daemon.DataDirectory, "--name", "ops", "--tenant", "ops", "--scope", "admin"]);
        using var admin = daemon.CreateClient(TimeSpan.FromMinutes(1));
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", created.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("ellm_", StringComparison.Ordinal)));
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));

        JsonElement failing = default;
        await Poll.Until(async () =>
        {
            failing = Worker(await StatusAsync(admin), "DropFolderWatcher");
            return failing.GetProperty("restarts").GetInt64() >= 2;
        });
        var status = await StatusAsync(admin);
        using var completion = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 8 });
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = (await PrometheusText.ParseAsync(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)))).Samples;
        var exitCode = await daemon.TerminateAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("InvalidOperationException", failing.GetProperty("last_error_type").GetString());
        Assert.Contains("worker-throw:DropFolderWatcher", failing.GetProperty("last_error_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, failing.GetProperty("last_error_at").ValueKind);
        Assert.Equal("running", Worker(status, "OutboxWorker").GetProperty("state").GetString());
        Assert.Equal(0, Worker(status, "OutboxWorker").GetProperty("restarts").GetInt64());
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(Sample(metrics, "edgellm_worker_restarts_total", "DropFolderWatcher") >= 2, string.Join('\n', metrics.Keys.Where(k => k.StartsWith("edgellm_worker", StringComparison.Ordinal))));
        Assert.Equal(1, Sample(metrics, "edgellm_worker_up", "OutboxWorker"));
        Assert.Contains("Background worker {Worker} failed", daemon.Output, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    private static JsonElement Worker(JsonElement status, string name) =>
        status.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("name").GetString() == name);

    private static double Sample(Dictionary<string, double> samples, string name, string worker) =>
        samples.Single(s => s.Key.StartsWith(name + "{", StringComparison.Ordinal) && s.Key.Contains($"worker=\"{worker}\"", StringComparison.Ordinal)).Value;

    private static async Task<JsonElement> StatusAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync(new Uri("/admin/status", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
