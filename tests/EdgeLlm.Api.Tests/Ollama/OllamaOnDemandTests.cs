using System.Net;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;
using OllamaSharp.Models;

namespace EdgeLlm.Api.Tests.Ollama;

/// <summary>
/// An on-demand model through the Ollama API: listed before it is loaded, loaded by Ollama's preload call, shown running
/// until its configured keep-alive runs out, and kept by the load policy whatever a request's <c>keep_alive</c> says.
/// </summary>
public sealed class OllamaOnDemandTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Inference:Models:0:Name"] = "small",
            ["Inference:Models:0:LoadPolicy"] = "on-demand",
            ["Inference:Models:0:KeepAlive"] = "00:10:00",
            ["Api:RateLimitPerSecond"] = "0",
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ThePreloadCallLoadsTheModelWhichRunsUntilItsKeepAliveRunsOut()
    {
        using var ollama = OllamaClients.For(_server, _server.InferenceKey);
        var before = (await ollama.ListRunningModelsAsync()).ToList();
        var listed = (await ollama.ListLocalModelsAsync()).Select(m => m.Name).ToList();

        GenerateDoneResponseStream? loaded = null;
        await foreach (var chunk in ollama.GenerateAsync(new GenerateRequest { Model = "small:latest", Stream = false }))
        {
            loaded = chunk as GenerateDoneResponseStream;
        }

        var running = Assert.Single(await ollama.ListRunningModelsAsync());
        Assert.Empty(before);
        Assert.Equal(["small:latest"], listed);
        Assert.Equal("load", loaded!.DoneReason);
        Assert.True(loaded.LoadDuration > 0);
        Assert.Equal("small:latest", running.Name);
        Assert.InRange(running.ExpiresAt.ToUniversalTime(), DateTime.UtcNow.AddMinutes(9), DateTime.UtcNow.AddMinutes(11));
    }

    [Fact]
    public async Task ARequestsKeepAliveIsCheckedButTheLoadPolicyDecidesResidency()
    {
        using var answered = await _server.PostJsonAsync("/api/chat", """{"model":"small","messages":[{"role":"user","content":"Once"}],"stream":false,"keep_alive":0,"options":{"num_predict":4}}""");
        using var running = await _server.Client.GetAsync("/api/ps");
        using var unload = await _server.PostJsonAsync("/api/generate", """{"model":"small","keep_alive":"0s"}""");
        var refusal = await InferenceTestServer.JsonAsync(unload);

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Single((await InferenceTestServer.JsonAsync(running)).GetProperty("models").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, unload.StatusCode);
        Assert.Equal(ErrorCodes.InvalidParameter, refusal.GetProperty("code").GetString());
        Assert.Equal("keep_alive", refusal.GetProperty("param").GetString());
    }
}
