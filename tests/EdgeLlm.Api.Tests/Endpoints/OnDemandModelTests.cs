using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Models;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// Two on-demand models under a memory budget that fits one of them, through the daemon's composition and its HTTP API:
/// states in <c>/v1/models</c>, loads at first request, eviction, one load for concurrent requests, and 503 with
/// <c>Retry-After</c> when the model cannot fit beside a busy one.
/// </summary>
public sealed class OnDemandModelTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync()
    {
        var global = new InferenceOptions();
        var small = new ModelOptions { Name = "small", Path = TestModels.Stories260K, ContextSize = 4096, MaxSequences = 1, QueueCapacity = 8 };
        var large = new ModelOptions { Name = "large", Path = TestModels.TinyRandomLlama2, ContextSize = 4096, MaxSequences = 1, QueueCapacity = 0 };
        long Footprint(ModelOptions model) => ModelFootprint.Estimate(new GgufValidator().Validate(model.Path).Summary!, EffectiveModelSettings.Resolve(model, global), global.BatchSize).TotalBytes;

        _server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Inference:MemoryBudgetBytes"] = (Math.Max(Footprint(small), Footprint(large)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Inference:Models:0:Name"] = "small",
            ["Inference:Models:0:LoadPolicy"] = "on-demand",
            ["Inference:Models:0:ContextSize"] = "4096",
            ["Inference:Models:0:MaxSequences"] = "1",
            ["Inference:Models:0:QueueCapacity"] = "8",
            ["Inference:Models:1:Name"] = "large",
            ["Inference:Models:1:Path"] = TestModels.TinyRandomLlama2,
            ["Inference:Models:1:LoadPolicy"] = "on-demand",
            ["Inference:Models:1:ContextSize"] = "4096",
            ["Inference:Models:1:MaxSequences"] = "1",
            ["Inference:Models:1:QueueCapacity"] = "0",
            ["Api:RateLimitPerSecond"] = "0",
        }, _logs);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task ModelsStartUnloadedAndEachRequestLoadsItsModelEvictingTheOther()
    {
        Assert.Equal(new Dictionary<string, string> { ["small"] = "unloaded", ["large"] = "unloaded" }, await StatesAsync());

        using (var first = await _server.PostJsonAsync("/v1/completions", Body("small")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("small", (await InferenceTestServer.JsonAsync(first)).GetProperty("model").GetString());
        }

        Assert.Equal(new Dictionary<string, string> { ["small"] = "loaded", ["large"] = "unloaded" }, await StatesAsync());

        using (var second = await _server.PostJsonAsync("/v1/completions", Body("large")))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.Equal(new Dictionary<string, string> { ["small"] = "unloaded", ["large"] = "loaded" }, await StatesAsync());
        var status = await AdminStatusAsync();
        var large = status.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "large");
        Assert.Equal("on-demand", large.GetProperty("load_policy").GetString());
        Assert.Equal(large.GetProperty("footprint").GetProperty("total_bytes").GetInt64(), status.GetProperty("memory").GetProperty("host_used_bytes").GetInt64());
        Assert.Contains(_logs.Entries, e => e.EventId == 3053 && e.Message.Contains("small", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentRequestsForAnUnloadedModelTriggerOneLoad()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _server.PostJsonAsync("/v1/embeddings", """{"model":"small","input":"Once upon a time"}""")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(_logs.Entries, e => e.EventId == 3051 && e.Message.Contains("small", StringComparison.Ordinal));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task AModelThatCannotFitBesideABusyOneIsRefusedWith503AndRetryAfterThenLoadsOnceItIsIdle()
    {
        using (var holder = await _server.PostJsonAsync("/v1/completions", """{"model":"large","prompt":"Hello there","max_tokens":4000,"temperature":0,"stream":true}"""))
        {
            Assert.Equal(HttpStatusCode.OK, holder.StatusCode);
            await SseReader.ReadFirstEventAsync(holder);

            using var refused = await _server.PostJsonAsync("/v1/completions", Body("small"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(ErrorCodes.ModelNotReady, (await InferenceTestServer.JsonAsync(refused)).GetProperty("error").GetProperty("code").GetString());
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        }

        // The stream's client went away: once the large model's sequence is released it is idle and can be evicted.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            using var retried = await _server.PostJsonAsync("/v1/completions", Body("small"));
            status = retried.StatusCode;
        }
        while (status == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }

    private async Task<Dictionary<string, string>> StatesAsync()
    {
        var list = await InferenceTestServer.JsonAsync(await _server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative)));
        return list.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("edgellm").GetProperty("state").GetString()!);
    }

    private async Task<JsonElement> AdminStatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.CreateKey("operators", ApiScopes.Admin));
        using var response = await _server.Client.SendAsync(request);
        return await InferenceTestServer.JsonAsync(response);
    }

    private static string Body(string model) => JsonSerializer.Serialize(new { model, prompt = "Once upon a time", max_tokens = 4 });
}
