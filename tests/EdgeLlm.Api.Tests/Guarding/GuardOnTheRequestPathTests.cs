using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Guarding;

/// <summary>
/// The guard model on the chat path, through the daemon's composition and real models: the random-weights Llama 2 judges
/// its prompts unsafe (greedy, so always), stories260K judges them safe, and a guard that cannot give a verdict (the
/// prompt does not fit its context) follows the tenant's failure mode.
/// </summary>
public sealed class GuardOnTheRequestPathTests(GuardServerFixture fixture) : IClassFixture<GuardServerFixture>
{
    private const string Chat = """{"messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":12,"temperature":0}""";
    private const string Streamed = """{"messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":12,"temperature":0,"stream":true}""";

    [Fact]
    public async Task AnUnsafeVerdictRefusesThePromptNamingTheCategoryAndNothingIsGenerated()
    {
        using var answer = await fixture.Server.PostJsonAsync("/v1/chat/completions", Chat, fixture.Server.CreateKey("random-judged", "inference"));
        var body = await InferenceTestServer.JsonAsync(answer);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(ErrorCodes.ContentBlocked, body.GetProperty("error").GetProperty("code").GetString());
        Assert.Matches("rule 'guard:(S1|S10)'", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ASafeVerdictOnInputAndOutputLetsTheWholeAnswerThroughStreamedOrNot()
    {
        var key = fixture.Server.CreateKey("stories-judged", "inference");
        using var whole = await fixture.Server.PostJsonAsync("/v1/chat/completions", Chat, key);
        using var streamed = await fixture.Server.PostJsonAsync("/v1/chat/completions", Streamed, key);
        var body = await InferenceTestServer.JsonAsync(whole);
        var events = await SseReader.ReadAsync(streamed);

        Assert.True(whole.StatusCode == HttpStatusCode.OK, body.ToString());
        var choice = body.GetProperty("choices")[0];
        Assert.NotEqual("content_filter", choice.GetProperty("finish_reason").GetString());
        var text = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.True(text.Length > 0);
        Assert.True(events.Done);
        Assert.Equal(text, string.Concat(events.Events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Select(c => c.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : "")));
    }

    [Theory]
    [InlineData("overflow-closed", HttpStatusCode.BadRequest)]
    [InlineData("overflow-open", HttpStatusCode.OK)]
    public async Task AGuardThatCannotAnswerFollowsTheFailureMode(string tenant, HttpStatusCode expected)
    {
        // About a hundred tokens: the chat model's 512-token context holds it, the guard's 64 cannot.
        var story = string.Concat(Enumerable.Repeat("The little dog ran to the park and played with a red ball. ", 8));
        var chat = JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = story } }, max_tokens = 4, temperature = 0 });

        using var answer = await fixture.Server.PostJsonAsync("/v1/chat/completions", chat, fixture.Server.CreateKey(tenant, "inference"));
        var body = await InferenceTestServer.JsonAsync(answer);

        Assert.Equal(expected, answer.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Contains("rule 'guard_unavailable'", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var action = expected == HttpStatusCode.OK ? "action=\"flag\"" : "action=\"block\"";
        Assert.True(await CountedAsync(action), $"no guard_unavailable decision counted with {action}");
    }

    // The scrape endpoint caches its answer briefly, so a decision just made may show in the next one.
    private async Task<bool> CountedAsync(string action)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var metrics = await fixture.Server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            if (metrics.Split('\n').Any(l => l.StartsWith("edgellm_guard_decisions_total{", StringComparison.Ordinal)
                && l.Contains("rule=\"guard_unavailable\"", StringComparison.Ordinal) && l.Contains(action, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
