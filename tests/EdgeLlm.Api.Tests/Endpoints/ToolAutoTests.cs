using System.ClientModel;
using EdgeLlm.Api.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>tool_choice auto leaves a model that never starts a call free: stories260K answers with a story, not a call.</summary>
public sealed class ToolAutoTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AutoOnAStoryModelYieldsTextAndNoCalls(bool stream)
    {
        var client = new ChatClient("stories260K", new ApiKeyCredential(fixture.Server.InferenceKey), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "/v1") });
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateAutoChoice(), Temperature = 0f, MaxOutputTokenCount = 60 };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")));
        ChatMessage[] messages = [new UserChatMessage("Once upon a time, there was a little dog named Max.")];

        string text;
        ChatFinishReason? finish;
        if (stream)
        {
            var parts = new List<string>();
            finish = null;
            await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
            {
                Assert.Empty(update.ToolCallUpdates);
                parts.AddRange(update.ContentUpdate.Select(p => p.Text));
                finish ??= update.FinishReason;
            }

            text = string.Concat(parts);
        }
        else
        {
            ChatCompletion answer = await client.CompleteChatAsync(messages, options);
            Assert.Empty(answer.ToolCalls);
            text = answer.Content[0].Text;
            finish = answer.FinishReason;
        }

        Assert.Contains(finish, new ChatFinishReason?[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.True(text.Count(char.IsLetter) > 20, $"a story was expected: '{text}'");
    }
}
