using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Generation;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>
/// The route <c>auto</c> over two real models, through the daemon's composition: the random-weights Llama-2 as
/// "large" for hard questions, long prompts and the gold tenant, stories260K as "small" for the rest.
/// </summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() => _server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, RoutingSettings.TwoModels(new Dictionary<string, string>
    {
        ["Routing:Routes:0:Name"] = "auto",
        ["Routing:Routes:0:Rules:0:Target"] = "large",
        ["Routing:Routes:0:Rules:0:Keywords:0"] = "prove",
        ["Routing:Routes:0:Rules:0:Keywords:1"] = "explain why",
        ["Routing:Routes:0:Rules:1:Target"] = "large",
        ["Routing:Routes:0:Rules:1:MinPromptTokens"] = "50",
        ["Routing:Routes:0:Rules:2:Target"] = "large",
        ["Routing:Routes:0:Rules:2:Tenants:0"] = "gold",
        ["Routing:Routes:0:Rules:3:Target"] = "small",
    }));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AKeywordSendsAChatToTheLargeModelAndTheAnswerSaysSo()
    {
        using var hard = await _server.PostJsonAsync("/v1/chat/completions", Chat("Please EXPLAIN WHY the sky is blue."));
        using var easy = await _server.PostJsonAsync("/v1/chat/completions", Chat("Once upon a time"));

        Assert.Equal(("large", "large"), await ServedAsync(hard));
        Assert.Equal(("small", "small"), await ServedAsync(easy));
    }

    [Fact]
    public async Task ALongPromptGoesToTheLargeModel()
    {
        using var longer = await _server.PostJsonAsync("/v1/completions", Completion(string.Join(' ', Enumerable.Repeat("word", 50))));
        using var shorter = await _server.PostJsonAsync("/v1/completions", Completion(string.Join(' ', Enumerable.Repeat("word", 30))));

        Assert.Equal(("large", "large"), await ServedAsync(longer));
        Assert.Equal(("small", "small"), await ServedAsync(shorter));
    }

    [Fact]
    public async Task TheGoldTenantsKeyGoesToTheLargeModel()
    {
        var gold = _server.CreateKey("gold", ApiScopes.Inference);

        using var golden = await _server.PostJsonAsync("/v1/completions", Completion("Once upon a time"), gold);
        using var other = await _server.PostJsonAsync("/v1/completions", Completion("Once upon a time"));

        Assert.Equal(("large", "large"), await ServedAsync(golden));
        Assert.Equal(("small", "small"), await ServedAsync(other));
    }

    [Fact]
    public async Task AModelNamedDirectlyHasNoRoutingHeader()
    {
        using var direct = await _server.PostJsonAsync("/v1/completions", JsonSerializer.Serialize(new { model = "small", prompt = "Once", max_tokens = 2 }));

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.False(direct.Headers.Contains(FallbackSubmission.ModelHeader));
    }

    [Fact]
    public async Task DecisionsAppearInMetricsByRouteRuleAndTarget()
    {
        using var hard = await _server.PostJsonAsync("/v1/completions", Completion("prove it"));
        Assert.Equal(("large", "large"), await ServedAsync(hard));

        var metrics = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("edgellm_routing_decisions_total{", StringComparison.Ordinal)
            && l.Contains("route=\"auto\"", StringComparison.Ordinal) && l.Contains("rule=\"0\"", StringComparison.Ordinal) && l.Contains("target=\"large\"", StringComparison.Ordinal));
    }

    /// <summary>The model the header names and the one the body names.</summary>
    internal static async Task<(string?, string?)> ServedAsync(HttpResponseMessage response)
    {
        var body = await InferenceTestServer.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return (response.Headers.GetValues(FallbackSubmission.ModelHeader).Single(), body.GetProperty("model").GetString());
    }

    private static string Chat(string text) =>
        JsonSerializer.Serialize(new { model = "auto", messages = new[] { new { role = "user", content = text } }, max_tokens = 4 });

    private static string Completion(string prompt) => JsonSerializer.Serialize(new { model = "auto", prompt, max_tokens = 4 });
}
