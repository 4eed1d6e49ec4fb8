using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>A route whose target is saturated: its one sequence held by a long stream, no queue.</summary>
public sealed class RoutingFallbackTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() => _server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, RoutingSettings.TwoModels(new Dictionary<string, string>
    {
        ["Routing:Routes:0:Name"] = "auto",
        ["Routing:Routes:0:Rules:0:Target"] = "large",
        ["Routing:Routes:0:Fallbacks:0"] = "small",
        ["Routing:Routes:1:Name"] = "large-only",
        ["Routing:Routes:1:Rules:0:Target"] = "large",
    }));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ASaturatedTargetHandsTheRequestToTheNextFallbackWithinTheSameRequest()
    {
        using var holder = await _server.PostJsonAsync("/v1/completions", """{"model":"large","prompt":"Hello there","max_tokens":8000,"temperature":0,"stream":true}""");
        Assert.Equal(HttpStatusCode.OK, holder.StatusCode);
        await SseReader.ReadFirstEventAsync(holder);

        using var routed = await _server.PostJsonAsync("/v1/completions", Body("auto"));
        using var chat = await _server.PostJsonAsync("/v1/chat/completions", """{"model":"auto","messages":[{"role":"user","content":"Hi"}],"max_tokens":4}""");
        using var alone = await _server.PostJsonAsync("/v1/completions", Body("large-only"));

        Assert.Equal(("small", "small"), await RoutingTests.ServedAsync(routed));
        Assert.Equal(("small", "small"), await RoutingTests.ServedAsync(chat));

        // Without a fallback the refusal is the client's answer, still naming the model that refused.
        Assert.Equal(HttpStatusCode.TooManyRequests, alone.StatusCode);
        Assert.Equal(ErrorCodes.QueueFull, (await InferenceTestServer.JsonAsync(alone)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("large", alone.Headers.GetValues("x-edgellm-model").Single());
    }

    [Fact]
    public async Task ARouteNamedLikeAModelIsRefusedAtStartUp()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, RoutingSettings.TwoModels(new Dictionary<string, string>
        {
            ["Routing:Routes:0:Name"] = "small",
            ["Routing:Routes:0:Rules:0:Target"] = "large",
        })));

        Assert.Contains("Routing:Routes:0:Name 'small' is already a model name or alias.", failure.ToString(), StringComparison.Ordinal);
    }

    private static string Body(string model) => JsonSerializer.Serialize(new { model, prompt = "Once upon a time", max_tokens = 4 });
}
