using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EdgeLlm.Inference.Versions;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace EdgeLlm.Api.Tests.Guardrails;

/// <summary>
/// Tenant <c>strict</c>'s output deny rule names words every stories260K story holds: its answers are ended by the
/// output screen, streamed or whole, and nothing after the denied word is sent.
/// </summary>
public sealed partial class OutputGuardrailTests(GuardrailServerFixture fixture) : IClassFixture<GuardrailServerFixture>
{
    private const string Story = "Once upon a time, there was a little dog named Max. One day";

    [Fact]
    public async Task AStreamEndsWithContentFilterThroughTheOfficialOpenAiClientBeforeTheDeniedWordIsComplete()
    {
        var client = new ChatClient("stories260K", new ApiKeyCredential(fixture.Strict.Key), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "/v1") });

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(Story)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 120 }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ContentFilter, finish);
        Assert.DoesNotMatch(StoryWord(), text.ToString());
    }

    [Fact]
    public async Task AWholeAnswerEndsWithContentFilterAndTheSameAnswerPassesForATenantWithoutTheRule()
    {
        var strict = await fixture.Strict.PostAsync("/v1/completions", new { prompt = Story, max_tokens = 120, temperature = 0 });
        var plain = await fixture.Plain.PostAsync("/v1/completions", new { prompt = Story, max_tokens = 120, temperature = 0 });

        Assert.True(strict.Status == HttpStatusCode.OK, strict.ToString());
        var filtered = strict.Json.GetProperty("choices")[0];
        Assert.Equal("content_filter", filtered.GetProperty("finish_reason").GetString());
        Assert.DoesNotMatch(StoryWord(), filtered.GetProperty("text").GetString()!);

        // The control: the same greedy story, unscreened, holds the words the rule denies.
        var story = plain.Json.GetProperty("choices")[0];
        Assert.NotEqual("content_filter", story.GetProperty("finish_reason").GetString());
        Assert.Matches(StoryWord(), story.GetProperty("text").GetString()!);
        Assert.StartsWith(filtered.GetProperty("text").GetString()!, story.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABlockedAnswerCountsAsOneBlockedRequestOfTheVersionThatGaveIt()
    {
        var outcomes = fixture.Server.Services.GetRequiredService<IVersionOutcomes>();
        var from = DateTimeOffset.UtcNow;

        var strict = await fixture.Strict.PostAsync("/v1/completions", new { prompt = Story, max_tokens = 120, temperature = 0 });
        var plain = await fixture.Plain.PostAsync("/v1/completions", new { prompt = Story, max_tokens = 120, temperature = 0 });

        Assert.Equal("content_filter", strict.Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(plain.Status == HttpStatusCode.OK, plain.ToString());
        // The blocked answer was cut short (its generation cancelled, so not recorded by the scheduler): its blocked entry is its request.
        var window = outcomes.Window(fixture.Server.Model.Name, ServedVersion.Active, from, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal((2, 1, 0), (window.Requests, window.Blocked, window.Errors));
    }

    [GeneratedRegex(@"\b(the|a|and|was|she|he|to|it|they|her|his)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StoryWord();
}
