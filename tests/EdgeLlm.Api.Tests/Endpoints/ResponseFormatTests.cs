using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// response_format through the real daemon on stories260K (a model that writes stories, never JSON on its own):
/// json_object and json_schema answers that finish are JSON of the asked shape; text is free; a format or schema
/// that cannot be honoured is a 400 naming the field and the place in the schema.
/// </summary>
public sealed class ResponseFormatTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private const string Story = "Once upon a time";

    public static TheoryData<string, string> MalformedFormats => new()
    {
        { """{"type":"yaml"}""", "response_format.type" },
        { """{}""", "response_format" },
        { "\"json_object\"", "response_format" },
        { """{"type":"json_schema"}""", "response_format.json_schema" },
        { """{"type":"json_schema","json_schema":{"name":"a","schema":[1]}}""", "response_format.json_schema.schema" },
    };

    [Theory]
    [MemberData(nameof(MalformedFormats))]
    public async Task AMalformedResponseFormatIsA400NamingTheField(string responseFormat, string param)
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"hi"}],"response_format":{{responseFormat}}}""");
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidParameter, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnUnsupportedSchemaKeywordIsRefusedNamingItsPathAndKeyword()
    {
        const string Format = """{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object","properties":{"when":{"type":"string","contentEncoding":"base64"}}}}}""";

        using var response = await fixture.Server.PostJsonAsync("/v1/completions", $$"""{"prompt":"{{Story}}","response_format":{{Format}}}""");
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("response_format.json_schema.schema#/properties/when/contentEncoding", error.GetProperty("param").GetString());
        Assert.Contains("contentEncoding", error.GetProperty("message").GetString(), StringComparison.Ordinal);
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
    public async Task AStreamedJsonSchemaAnswerIsTheSameTextAsTheWholeOne()
    {
        const string Format = """{"type":"json_schema","json_schema":{"name":"pet","strict":true,"schema":{"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":30},"kind":{"enum":["dog","cat"]}},"required":["name","age","kind"],"additionalProperties":false}}}""";
        var request = $$"""{"messages":[{"role":"user","content":"{{Story}}"}],"max_tokens":120,"temperature":0,"response_format":{{Format}}""";

        using var whole = await fixture.Server.PostJsonAsync("/v1/chat/completions", request + "}");
        var body = await InferenceTestServer.JsonAsync(whole);
        using var stream = await fixture.Server.PostJsonAsync("/v1/chat/completions", request + ""","stream":true}""");
        var streamed = await SseReader.ReadAsync(stream);

        Assert.True(whole.StatusCode == HttpStatusCode.OK, body.ToString());
        var content = body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        Assert.True(streamed.Done);
        Assert.Equal(content, streamed.Text);
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        using var answer = JsonDocument.Parse(content);
        Assert.Equal(["name", "age", "kind"], answer.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.InRange(answer.RootElement.GetProperty("age").GetInt32(), 0, 30);
        Assert.Contains(answer.RootElement.GetProperty("kind").GetString(), new[] { "dog", "cat" });
        Assert.InRange(answer.RootElement.GetProperty("name").GetString()!.Length, 0, 12);
    }

    [Fact]
    public async Task ChatLogprobsHaveOneEntryPerTokenAndGreedyPicksTheTopAlternative()
    {
        using var response = await fixture.Server.PostJsonAsync(
            "/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"{{Story}}"}],"max_tokens":16,"temperature":0,"logprobs":true,"top_logprobs":3}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var choice = body.GetProperty("choices")[0];
        var tokens = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), tokens.Count);
        Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(), string.Concat(tokens.Select(t => t.GetProperty("token").GetString())));
        foreach (var token in tokens)
        {
            var top = token.GetProperty("top_logprobs").EnumerateArray().ToList();
            Assert.Equal(3, top.Count);
            Assert.True(token.GetProperty("logprob").GetSingle() <= 0f);
            Assert.Equal(top[0].GetProperty("token").GetString(), token.GetProperty("token").GetString());
            Assert.Equal(top[0].GetProperty("logprob").GetSingle(), token.GetProperty("logprob").GetSingle());
            Assert.True(top[0].GetProperty("logprob").GetSingle() >= top[1].GetProperty("logprob").GetSingle());
            Assert.Equal(
                System.Text.Encoding.UTF8.GetBytes(token.GetProperty("token").GetString()!),
                token.GetProperty("bytes").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray());
        }
    }

    [Fact]
    public async Task StreamedChatLogprobsComeWithTheirTextAndMatchTheWholeAnswers()
    {
        var request = $$"""{"messages":[{"role":"user","content":"{{Story}}"}],"max_tokens":12,"temperature":0,"logprobs":true,"top_logprobs":2""";

        using var whole = await fixture.Server.PostJsonAsync("/v1/chat/completions", request + "}");
        var expected = (await InferenceTestServer.JsonAsync(whole)).GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content")
            .EnumerateArray().Select(t => (t.GetProperty("token").GetString(), t.GetProperty("logprob").GetSingle())).ToList();
        using var stream = await fixture.Server.PostJsonAsync("/v1/chat/completions", request + ""","stream":true}""");
        var streamed = await SseReader.ReadAsync(stream);

        var chunks = streamed.Events.Where(e => e.GetProperty("choices").GetArrayLength() > 0 && e.GetProperty("choices")[0].TryGetProperty("logprobs", out var l) && l.ValueKind == JsonValueKind.Object).ToList();
        var tokens = chunks.SelectMany(e => e.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray())
            .Select(t => (t.GetProperty("token").GetString(), t.GetProperty("logprob").GetSingle())).ToList();
        Assert.Equal(expected, tokens);
        Assert.Equal(streamed.Text, string.Concat(tokens.Select(t => t.Item1)));
    }

    [Fact]
    public async Task ConstrainedLogprobsGiveEveryTokenTheGrammarRefusedNoShare()
    {
        const string Format = """{"type":"json_schema","json_schema":{"name":"flag","schema":{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}}}""";

        using var response = await fixture.Server.PostJsonAsync(
            "/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"{{Story}}"}],"max_tokens":40,"temperature":0,"logprobs":true,"top_logprobs":20,"response_format":{{Format}}}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var tokens = body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.NotEmpty(tokens);

        // The first token must open the object: every alternative the grammar allows starts with '{' (after blanks).
        var first = tokens[0].GetProperty("top_logprobs").EnumerateArray().Select(t => t.GetProperty("token").GetString()!).ToList();
        Assert.All(first, t => Assert.StartsWith("{", t.TrimStart(), StringComparison.Ordinal));
        var mass = tokens[0].GetProperty("top_logprobs").EnumerateArray().Sum(t => Math.Exp(t.GetProperty("logprob").GetSingle()));
        Assert.InRange(mass, 0.0, 1.0001);
    }

    [Fact]
    public async Task TextCompletionLogprobsAreTheLegacyParallelArrays()
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/completions", $$"""{"prompt":"{{Story}}","max_tokens":10,"temperature":0,"logprobs":2}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var choice = body.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(10, tokens.Count);
        Assert.Equal(choice.GetProperty("text").GetString(), string.Concat(tokens));
        Assert.Equal(10, logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), t => Assert.InRange(t.EnumerateObject().Count(), 1, 2));
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToList();
        Assert.Equal(0, offsets[0]);
        Assert.Equal(offsets[1], tokens[0].Length);
    }

    [Fact]
    public async Task StopCannotCutAConstrainedAnswer()
    {
        using var response = await fixture.Server.PostJsonAsync(
            "/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}],"stop":["\""],"response_format":{"type":"json_object"}}""");
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("stop", error.GetProperty("param").GetString());
    }
}
