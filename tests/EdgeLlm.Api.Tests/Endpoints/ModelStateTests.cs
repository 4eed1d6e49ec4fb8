using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference.Models;
using EdgeLlm.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// Each served model's state, estimated footprint and last use, in <c>/admin/status</c> and <c>/v1/models</c>, through the
/// daemon's composition with two real models served with different contexts.
/// </summary>
public sealed class ModelStateTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, new Dictionary<string, string>
        {
            ["Inference:Models:0:Name"] = "tiny-random",
            ["Inference:Models:0:ContextSize"] = "1024",
            ["Inference:Models:0:MaxSequences"] = "2",
            ["Inference:Models:1:Name"] = "stories",
            ["Inference:Models:1:Path"] = TestModels.Stories260K,
            ["Inference:Models:1:ContextSize"] = "128",
            ["Inference:Models:1:MaxSequences"] = "1",
            ["Api:RateLimitPerSecond"] = "0",
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryServedModelShowsLoadedWithAFootprintWhoseWeightsAreWhatLlamaCppLoaded()
    {
        var models = (await StatusAsync()).GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        var registry = _server.Services.GetRequiredService<ModelRegistry>();

        foreach (var (name, model) in models)
        {
            Assert.Equal("loaded", model.GetProperty("state").GetString());
            var footprint = model.GetProperty("footprint");
            Assert.Equal(["weights_bytes", "kv_cache_bytes", "compute_bytes", "total_bytes"], footprint.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(registry.Find(name)!.WeightsBytes, footprint.GetProperty("weights_bytes").GetInt64());
            Assert.Equal(
                footprint.GetProperty("weights_bytes").GetInt64() + footprint.GetProperty("kv_cache_bytes").GetInt64() + footprint.GetProperty("compute_bytes").GetInt64(),
                footprint.GetProperty("total_bytes").GetInt64());
        }

        // Each model's cache follows its own settings, f16 for every cell: stories260K has 5 layers of 4 KV heads of 8
        // (keys and values), tiny-random 32 bytes of cache a cell as its GGUF declares.
        Assert.Equal(5L * (128 * 1) * ((8 + 8) * 4) * 2, Kv(models["stories"]));
        Assert.Equal(32L * (1024 * 2), Kv(models["tiny-random"]));

        var list = await InferenceTestServer.JsonAsync(await _server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative)));
        foreach (var entry in list.GetProperty("data").EnumerateArray())
        {
            var edgellm = entry.GetProperty("edgellm");
            Assert.Equal(["state", "footprint_bytes", "last_used", "role"], edgellm.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal("chat", edgellm.GetProperty("role").GetString());
            Assert.Equal("loaded", edgellm.GetProperty("state").GetString());
            Assert.Equal(
                models[entry.GetProperty("id").GetString()!].GetProperty("footprint").GetProperty("total_bytes").GetInt64(),
                edgellm.GetProperty("footprint_bytes").GetInt64());
        }
    }

    [Fact]
    public async Task ARequestMovesTheLastUseOfTheModelItReachedAndOfNoOther()
    {
        var before = await LastUsedAsync();
        await Task.Delay(20);
        var sent = DateTimeOffset.UtcNow;

        using var response = await _server.PostAsync("/v1/completions", new { model = "stories", prompt = "Once upon a time", max_tokens = 4, temperature = 0 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await LastUsedAsync();

        Assert.NotNull(after["stories"]);
        Assert.InRange(after["stories"]!.Value, sent, DateTimeOffset.UtcNow);
        Assert.True(before["stories"] is null || before["stories"] < after["stories"]);
        Assert.Equal(before["tiny-random"], after["tiny-random"]);

        var listed = await InferenceTestServer.JsonAsync(await _server.Client.GetAsync(new Uri("/v1/models/stories", UriKind.Relative)));
        Assert.Equal(after["stories"], listed.GetProperty("edgellm").GetProperty("last_used").GetDateTimeOffset());
    }

    private static long Kv(JsonElement model) => model.GetProperty("footprint").GetProperty("kv_cache_bytes").GetInt64();

    private async Task<Dictionary<string, DateTimeOffset?>> LastUsedAsync() =>
        (await StatusAsync()).GetProperty("models").EnumerateArray().ToDictionary(
            m => m.GetProperty("name").GetString()!,
            m => m.GetProperty("last_used").ValueKind == JsonValueKind.Null ? (DateTimeOffset?)null : m.GetProperty("last_used").GetDateTimeOffset());

    private async Task<JsonElement> StatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.CreateKey("operators", ApiScopes.Admin));
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await InferenceTestServer.JsonAsync(response);
    }
}
