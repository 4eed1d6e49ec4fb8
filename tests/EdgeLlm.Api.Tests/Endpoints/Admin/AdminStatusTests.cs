using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Telemetry;
using EdgeLlm.Testing;
using EdgeLlm.Updates;

namespace EdgeLlm.Api.Tests.Endpoints.Admin;

/// <summary><c>GET /admin/status</c> answers the operator's snake_case shape, field for field, from the running parts.</summary>
public sealed class AdminStatusTests
{
    [Fact]
    public async Task AModelsGeneratedTokensCountWhatItsFinishedGenerationsProduced()
    {
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K);
        var admin = server.CreateKey("operators", ApiScopes.Admin);
        var before = await ModelStatusAsync(server, admin);
        long produced = 0;
        foreach (var maxTokens in new[] { 7, 12 })
        {
            using var answer = await server.PostJsonAsync("/v1/completions", $$"""{"prompt":"Once upon a time","max_tokens":{{maxTokens}},"temperature":0}""");
            produced += (await InferenceTestServer.JsonAsync(answer)).GetProperty("usage").GetProperty("completion_tokens").GetInt64();
        }

        var after = await ModelStatusAsync(server, admin);

        Assert.True(produced > 2, $"the completions produced {produced} tokens");
        Assert.Equal(produced, after.GetProperty("generated_tokens").GetInt64() - before.GetProperty("generated_tokens").GetInt64());
        Assert.Equal(2, after.GetProperty("completed").GetInt64() - before.GetProperty("completed").GetInt64());
    }

    private static async Task<JsonElement> ModelStatusAsync(InferenceTestServer server, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Client.SendAsync(request);
        return Assert.Single((await InferenceTestServer.JsonAsync(response)).GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task TheStatusReportsVersionsTheServedModelTheBackendTheOutboxTheLinkTheUpdateChecksTheWorkersAndTheDisk()
    {
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.CreateKey("operators", ApiScopes.Admin));

        using var response = await server.Client.SendAsync(request);
        var status = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, status.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["versions", "started_at", "uptime_seconds", "ready", "models", "backend", "outbox", "uplink", "updates", "workers", "storage", "memory", "guardrails"], Names(status));
        Assert.Equal(Environment.Version.ToString(), status.GetProperty("versions").GetProperty("dotnet").GetString());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("versions").GetProperty("edgellm").GetString()));
        Assert.True(status.GetProperty("started_at").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.True(status.GetProperty("ready").GetBoolean());

        var model = Assert.Single(status.GetProperty("models").EnumerateArray());
        Assert.Equal(["name", "aliases", "architecture", "context_size", "max_sequences", "queue_capacity", "loaded_at", "active_sequences", "queued", "completed", "faulted", "state", "footprint", "last_used", "load_policy", "role", "error", "candidate", "reuse", "generated_tokens"], Names(model));
        Assert.True(model.GetProperty("generated_tokens").GetInt64() >= 1, "the start-up probe generates a token");
        Assert.Equal("pinned", model.GetProperty("load_policy").GetString());
        Assert.Equal("chat", model.GetProperty("role").GetString());
        Assert.Equal(server.Model.Name, model.GetProperty("name").GetString());
        Assert.Equal(512, model.GetProperty("context_size").GetInt32());
        Assert.False(model.GetProperty("faulted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("candidate").ValueKind);

        var backend = status.GetProperty("backend");
        Assert.Equal(["ggml", "llama_cpp_commit", "gpu_offload", "devices"], Names(backend));
        var cpu = Assert.Single(backend.GetProperty("devices").EnumerateArray(), d => d.GetProperty("type").GetString() == "cpu");
        Assert.Equal(["name", "description", "type", "free_bytes", "total_bytes"], Names(cpu));

        var outbox = status.GetProperty("outbox");
        Assert.Equal(["records", "bytes", "oldest_age_seconds", "dropped_size", "dropped_age", "drops_unreported"], Names(outbox));
        Assert.Equal(JsonValueKind.Number, outbox.GetProperty("records").ValueKind);

        var uplink = status.GetProperty("uplink");
        Assert.Equal(["broker", "connected", "last_connected", "last_acknowledged", "last_error", "last_update_check_command"], Names(uplink));
        Assert.False(uplink.GetProperty("connected").GetBoolean());

        var updates = status.GetProperty("updates");
        Assert.Equal(["last_check", "last_error", "feed"], Names(updates));
        Assert.Equal(JsonValueKind.Null, updates.GetProperty("last_error").ValueKind);
        // No Updates:PullUrl: there is no feed to watch.
        Assert.Equal(JsonValueKind.Null, updates.GetProperty("feed").ValueKind);

        // Every part's background worker, under the host's supervision; none has failed.
        var workers = status.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal(["name", "state", "since", "restarts", "last_error_type", "last_error_message", "last_error_at"], Names(workers[0]));
        Assert.Contains(workers, w => w.GetProperty("name").GetString() == "OutboxWorker" && w.GetProperty("state").GetString() == "running");
        Assert.Contains(workers, w => w.GetProperty("name").GetString() == "ModelLoadingService");
        Assert.All(workers, w => Assert.Equal(0, w.GetProperty("restarts").GetInt64()));

        var storage = status.GetProperty("storage");
        Assert.Equal(["free_bytes", "total_bytes", "full_since", "outbox_dropped_disk_full"], Names(storage));
        Assert.InRange(storage.GetProperty("free_bytes").GetInt64(), 1, storage.GetProperty("total_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("full_since").ValueKind);

        // The default budget is the machine's memory less a margin; the one loaded model takes its estimate of it.
        var memory = status.GetProperty("memory");
        Assert.Equal(["host_budget_bytes", "host_used_bytes", "gpu_budget_bytes", "gpu_used_bytes"], Names(memory));
        Assert.Equal(model.GetProperty("footprint").GetProperty("total_bytes").GetInt64(), memory.GetProperty("host_used_bytes").GetInt64());
        Assert.InRange(memory.GetProperty("host_budget_bytes").GetInt64(), memory.GetProperty("host_used_bytes").GetInt64() + 1, long.MaxValue);
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
