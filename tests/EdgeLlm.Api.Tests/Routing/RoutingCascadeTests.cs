using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Generation;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>
/// Cascades from stories260K ("small") to the random-weights Llama-2 ("large"): <c>always</c> escalates below a mean
/// log-probability of 0, which no real answer reaches; <c>never</c> escalates below -1000, which none falls to.
/// </summary>
public sealed class RoutingCascadeTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() => _server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, RoutingSettings.TwoModels(new Dictionary<string, string>
    {
        ["Routing:Routes:0:Name"] = "always",
        ["Routing:Routes:0:Rules:0:Target"] = "small",
        ["Routing:Routes:0:Rules:0:EscalateTo"] = "large",
        ["Routing:Routes:0:Rules:0:EscalateBelowMeanLogprob"] = "0",
        ["Routing:Routes:1:Name"] = "never",
        ["Routing:Routes:1:Rules:0:Target"] = "small",
        ["Routing:Routes:1:Rules:0:EscalateTo"] = "large",
        ["Routing:Routes:1:Rules:0:EscalateBelowMeanLogprob"] = "-1000",
    }));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("always", "large")]
    [InlineData("never", "small")]
    public async Task AWholeAnswerComesFromTheModelTheCascadeChoseWithoutLogprobsNobodyAskedFor(string route, string served)
    {
        using var chat = await _server.PostJsonAsync("/v1/chat/completions", Chat(route, stream: false));
        using var completion = await _server.PostJsonAsync("/v1/completions", Completion(route, stream: false));

        var chatBody = await InferenceTestServer.JsonAsync(chat);
        var completionBody = await InferenceTestServer.JsonAsync(completion);
        Assert.Equal((HttpStatusCode.OK, served, served), (chat.StatusCode, Header(chat), chatBody.GetProperty("model").GetString()));
        Assert.Equal((HttpStatusCode.OK, served, served), (completion.StatusCode, Header(completion), completionBody.GetProperty("model").GetString()));
        Assert.True(chatBody.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.False(HasLogprobs(chatBody.GetProperty("choices")[0]));
        Assert.False(HasLogprobs(completionBody.GetProperty("choices")[0]));
    }

    [Theory]
    [InlineData("always", "large")]
    [InlineData("never", "small")]
    public async Task AStreamedAnswerIsDecidedBeforeItsFirstChunkAndEveryChunkNamesTheModelThatAnswered(string route, string served)
    {
        // One after the other: the large model has one sequence and no queue, so a chat still streaming from it
        // would saturate it and keep the completion's answer on the small model.
        using var chat = await _server.PostJsonAsync("/v1/chat/completions", Chat(route, stream: true));
        Assert.Equal(served, Header(chat));
        var chatAnswer = await SseReader.ReadAsync(chat);
        using var completion = await _server.PostJsonAsync("/v1/completions", Completion(route, stream: true));
        Assert.Equal(served, Header(completion));
        foreach (var answer in new[] { chatAnswer, await SseReader.ReadAsync(completion) })
        {
            Assert.True(answer.Done);
            Assert.All(answer.Events, e => Assert.Equal(served, e.GetProperty("model").GetString()));
            Assert.DoesNotContain(answer.Events, e => e.GetProperty("choices").EnumerateArray().Any(HasLogprobs));
        }
    }

    [Fact]
    public async Task AKeptAnswerCarriesTheLogprobsTheClientAskedForOneEntryPerToken()
    {
        var body = JsonSerializer.Serialize(new { model = "never", messages = new[] { new { role = "user", content = "Once upon a time" } }, max_tokens = 6, logprobs = true, top_logprobs = 2 });
        using var whole = await _server.PostJsonAsync("/v1/chat/completions", body);

        var answer = await InferenceTestServer.JsonAsync(whole);
        Assert.Equal("small", Header(whole));
        var content = answer.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), content.GetArrayLength());
        Assert.All(content.EnumerateArray(), t => Assert.Equal(2, t.GetProperty("top_logprobs").GetArrayLength()));
    }

    [Fact]
    public async Task WhenTheLargerModelIsSaturatedTheSmallerAnswerStands()
    {
        using var holder = await _server.PostJsonAsync("/v1/completions", """{"model":"large","prompt":"Hello there","max_tokens":8000,"temperature":0,"stream":true}""");
        Assert.Equal(HttpStatusCode.OK, holder.StatusCode);
        await SseReader.ReadFirstEventAsync(holder);

        using var kept = await _server.PostJsonAsync("/v1/completions", Completion("always", stream: true));

        Assert.Equal("small", Header(kept));
        var answer = await SseReader.ReadAsync(kept);
        Assert.True(answer.Done);
        Assert.All(answer.Events, e => Assert.Equal("small", e.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task EscalationsAreCountedByRouteAndModels()
    {
        using var escalated = await _server.PostJsonAsync("/v1/completions", Completion("always", stream: false));
        Assert.Equal(HttpStatusCode.OK, escalated.StatusCode);

        var metrics = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("edgellm_routing_escalations_total{", StringComparison.Ordinal)
            && l.Contains("route=\"always\"", StringComparison.Ordinal) && l.Contains("from=\"small\"", StringComparison.Ordinal) && l.Contains("to=\"large\"", StringComparison.Ordinal));
        Assert.DoesNotContain(metrics.Split('\n'), l => l.StartsWith("edgellm_routing_escalations_total{", StringComparison.Ordinal) && l.Contains("route=\"never\"", StringComparison.Ordinal));
    }

    private static bool HasLogprobs(JsonElement choice) => choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind != JsonValueKind.Null;

    private static string Header(HttpResponseMessage response) => response.Headers.GetValues(FallbackSubmission.ModelHeader).Single();

    private static string Chat(string route, bool stream) =>
        JsonSerializer.Serialize(new { model = route, messages = new[] { new { role = "user", content = "Once upon a time" } }, max_tokens = 6, stream });

    private static string Completion(string route, bool stream) => JsonSerializer.Serialize(new { model = route, prompt = "Once upon a time", max_tokens = 6, stream });
}
