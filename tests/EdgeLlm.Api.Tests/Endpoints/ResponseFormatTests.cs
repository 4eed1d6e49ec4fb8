using System.ClientModel;
using System.Net;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference.Chat;
using OpenAI;
using OpenAI.Chat;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// Until structured output exists, a request that asks for JSON output is refused with 400 naming
/// <c>response_format</c>, never answered with free text as if it were honoured; plain text is served as usual.
/// </summary>
public sealed class ResponseFormatTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private const string Story = "Once upon a time";

    public static TheoryData<string, string> StructuredOutputRequests => new()
    {
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"}}}}""" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stream":true,"response_format":{"type":"json_object"}}""" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"yaml"}}""" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"response_format":{}}""" },
        { "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"response_format":"json_object"}""" },
        { "/v1/completions", """{"prompt":"Once upon a time","response_format":{"type":"json_object"}}""" },
        { "/v1/completions", """{"prompt":"Once upon a time","stream":true,"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"}}}}""" },
    };

    [Theory]
    [MemberData(nameof(StructuredOutputRequests))]
    public async Task ARequestForStructuredOutputIsRefusedWith400NamingResponseFormat(string route, string body)
    {
        using var response = await fixture.Server.PostJsonAsync(route, body);
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ErrorCodes.InvalidParameter, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("response_format", error.GetProperty("param").GetString());
        Assert.Contains("Structured output is not supported yet", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"text"}""")]
    [InlineData("null")]
    public async Task ATextResponseFormatGetsTheSameGreedyTextAsNone(string responseFormat)
    {
        var expected = fixture.Reference.Generate(Story, parseSpecial: false, maxTokens: 20);

        using var response = await fixture.Server.PostJsonAsync("/v1/completions", $$"""{"prompt":"{{Story}}","max_tokens":20,"temperature":0,"response_format":{{responseFormat}}}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(expected.Text, body.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task AChatWithATextResponseFormatGetsTheSameGreedyTextAsNone()
    {
        var prompt = new ChatPromptFormatter(null, "chatml").Format([new("user", Story)]);
        var expected = fixture.Reference.Generate(prompt, parseSpecial: true, maxTokens: 20);

        using var response = await fixture.Server.PostJsonAsync(
            "/v1/chat/completions", $$$"""{"messages":[{"role":"user","content":"{{{Story}}}"}],"max_tokens":20,"temperature":0,"response_format":{"type":"text"}}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(expected.Text, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task TheOfficialOpenAiClientAskingForAJsonObjectGetsA400NamingResponseFormat()
    {
        var client = new ChatClient("stories260K", new ApiKeyCredential(fixture.Server.InferenceKey), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "/v1") });

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync(
            [new UserChatMessage(Story)],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), MaxOutputTokenCount = 20 }));

        Assert.Equal(400, refused.Status);
        Assert.Contains("response_format", refused.Message, StringComparison.Ordinal);
        Assert.Contains(ErrorCodes.InvalidParameter, refused.Message, StringComparison.Ordinal);
    }
}
