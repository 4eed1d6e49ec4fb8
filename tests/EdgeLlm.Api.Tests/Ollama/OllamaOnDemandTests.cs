using System.Net;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;
using OllamaSharp.Models;

namespace EdgeLlm.Api.Tests.Ollama;

/// <summary>
/// An on-demand model through the Ollama API: listed before it is loaded, loaded by Ollama's preload call, shown running
/// until its keep-alive runs out; a request's <c>keep_alive</c> may let it go sooner (zero: once idle), never later.
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
    public async Task AKeepAliveOfZeroLetsTheModelGoOnceIdleAndTheUnloadCallIsAnswered()
    {
        using var answered = await _server.PostJsonAsync("/api/chat", """{"model":"small","messages":[{"role":"user","content":"Once"}],"stream":false,"keep_alive":0,"options":{"num_predict":4}}""");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(0, await RunningAfterTheSweepAsync());

        using var preload = await _server.PostJsonAsync("/api/generate", """{"model":"small"}""");
        Assert.Equal("load", (await InferenceTestServer.JsonAsync(preload)).GetProperty("done_reason").GetString());
        Assert.Equal(1, await RunningCountAsync());
        using var unload = await _server.PostJsonAsync("/api/generate", """{"model":"small","keep_alive":"0s"}""");
        Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        Assert.Equal("unload", (await InferenceTestServer.JsonAsync(unload)).GetProperty("done_reason").GetString());
        Assert.Equal(0, await RunningAfterTheSweepAsync());
    }

    [Fact]
    public async Task ARequestMayShortenButNeverLengthenTheConfiguredKeepAlive()
    {
        Assert.InRange(await ExpiresInAsync("\"2h\""), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.InRange(await ExpiresInAsync("-1"), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.InRange(await ExpiresInAsync("90"), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));
        Assert.InRange(await ExpiresInAsync("null"), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
    }

    private async Task<TimeSpan> ExpiresInAsync(string keepAlive)
    {
        using var answered = await _server.PostJsonAsync("/api/generate", $$$"""{"model":"small","prompt":"Once","stream":false,"keep_alive":{{{keepAlive}}},"options":{"num_predict":2}}""");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var running = await _server.Client.GetAsync("/api/ps");
        var model = Assert.Single((await InferenceTestServer.JsonAsync(running)).GetProperty("models").EnumerateArray());
        return model.GetProperty("expires_at").GetDateTimeOffset() - DateTimeOffset.UtcNow;
    }

    private async Task<int> RunningCountAsync()
    {
        using var running = await _server.Client.GetAsync("/api/ps");
        return (await InferenceTestServer.JsonAsync(running)).GetProperty("models").GetArrayLength();
    }

    /// <summary>The models still in memory once the keep-alive's sweep (each second) had a few chances to run.</summary>
    private async Task<int> RunningAfterTheSweepAsync()
    {
        var count = await RunningCountAsync();
        for (var i = 0; i < 100 && count > 0; i++)
        {
            await Task.Delay(100);
            count = await RunningCountAsync();
        }

        return count;
    }
}
