using System.ClientModel;
using System.Text;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference.Chat;
using OpenAI;
using OpenAI.Chat;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>The daemon's greedy output must be exactly what a plain LLamaSharp greedy loop writes for the same prompt.</summary>
public sealed class GreedyOutputTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private const string Story = "Once upon a time, there was a little dog named Max. One day";

    [Fact]
    public async Task AGreedyTextCompletionEqualsThePlainLlamaSharpGreedyLoop()
    {
        var expected = fixture.Reference.Generate(Story, parseSpecial: false, maxTokens: 80);

        using var response = await fixture.Server.PostAsync("/v1/completions", new { prompt = Story, max_tokens = 80, temperature = 0 });
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(expected.Text, choice.GetProperty("text").GetString());
        Assert.True(expected.Text.Length > 40, "the reference should write a real story continuation");
        Assert.Equal(expected.Tokens.Count == 80 ? "length" : "stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(expected.PromptTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.Tokens.Count, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task AGreedyChatCompletionEqualsThePlainLlamaSharpGreedyLoopOnTheTemplatedPrompt()
    {
        var prompt = new ChatPromptFormatter(null, "chatml").Format([new("system", "You tell stories."), new("user", Story)]);
        var expected = fixture.Reference.Generate(prompt, parseSpecial: true, maxTokens: 60);

        using var response = await fixture.Server.PostAsync("/v1/chat/completions", new
        {
            messages = new object[] { new { role = "system", content = "You tell stories." }, new { role = "user", content = Story } },
            max_tokens = 60,
            temperature = 0,
        });
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(expected.Text, message.GetProperty("content").GetString());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
    }

    [Fact]
    public async Task TheOfficialOpenAiClientParsesTheStreamIntoTheSameGreedyText()
    {
        var prompt = new ChatPromptFormatter(null, "chatml").Format([new("user", Story)]);
        var expected = fixture.Reference.Generate(prompt, parseSpecial: true, maxTokens: 50);
        var client = new ChatClient("stories260K", new ApiKeyCredential(fixture.Server.InferenceKey), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "/v1") });

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(
            [new UserChatMessage(Story)],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 50 }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(expected.Text, text.ToString());
        Assert.NotNull(finish);
        Assert.NotNull(usage);
        Assert.Equal(expected.Tokens.Count, usage.OutputTokenCount);
        Assert.Equal(expected.PromptTokens, usage.InputTokenCount);
    }

    [Fact]
    public async Task TheOfficialOpenAiClientReadsAWholeChatCompletion()
    {
        var client = new ChatClient("stories260K", new ApiKeyCredential(fixture.Server.InferenceKey), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "/v1") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(Story)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 20 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(20, completion.Usage.OutputTokenCount);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
    }
}
