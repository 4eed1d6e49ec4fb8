using System.Net;
using System.Text;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>Hostile or malformed requests get a 4xx with a stable code (naming the parameter), never a 5xx, and the server keeps serving.</summary>
public sealed class RequestValidationTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    public static TheoryData<string, string, string?> HostileChatBodies => new()
    {
        { """{"messages":[{"role":"user","content":"hi"}],"temperature":999999}""", ErrorCodes.InvalidParameter, "temperature" },
        { """{"messages":[{"role":"user","content":"hi"}],"temperature":-1}""", ErrorCodes.InvalidParameter, "temperature" },
        { """{"messages":[{"role":"user","content":"hi"}],"top_p":0}""", ErrorCodes.InvalidParameter, "top_p" },
        { """{"messages":[{"role":"user","content":"hi"}],"top_k":-1}""", ErrorCodes.InvalidParameter, "top_k" },
        { """{"messages":[{"role":"user","content":"hi"}],"top_k":1000000}""", ErrorCodes.InvalidParameter, "top_k" },
        { """{"messages":[{"role":"user","content":"hi"}],"min_p":2}""", ErrorCodes.InvalidParameter, "min_p" },
        { """{"messages":[{"role":"user","content":"hi"}],"repeat_penalty":0}""", ErrorCodes.InvalidParameter, "repeat_penalty" },
        { """{"messages":[{"role":"user","content":"hi"}],"frequency_penalty":5}""", ErrorCodes.InvalidParameter, "frequency_penalty" },
        { """{"messages":[{"role":"user","content":"hi"}],"presence_penalty":-3}""", ErrorCodes.InvalidParameter, "presence_penalty" },
        { """{"messages":[{"role":"user","content":"hi"}],"seed":-1}""", ErrorCodes.InvalidParameter, "seed" },
        { """{"messages":[{"role":"user","content":"hi"}],"n":3}""", ErrorCodes.InvalidParameter, "n" },
        { """{"messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":21}""", ErrorCodes.InvalidParameter, "top_logprobs" },
        { """{"messages":[{"role":"user","content":"hi"}],"top_logprobs":3}""", ErrorCodes.InvalidParameter, "top_logprobs" },
        { """{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"},"stop":"}"}""", ErrorCodes.InvalidParameter, "stop" },
        { """{"messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", ErrorCodes.InvalidParameter, "max_tokens" },
        { """{"messages":[{"role":"user","content":"hi"}],"max_tokens":-5}""", ErrorCodes.InvalidParameter, "max_tokens" },
        { """{"messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""", ErrorCodes.InvalidParameter, "stop" },
        { """{"messages":[{"role":"user","content":"hi"}],"stop":42}""", ErrorCodes.InvalidParameter, "stop" },
        { """{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function"}]}""", ErrorCodes.InvalidParameter, "tools" },
        { """{"messages":[]}""", ErrorCodes.InvalidParameter, "messages" },
        { """{"model":"stories260K"}""", ErrorCodes.InvalidParameter, "messages" },
        { """{"messages":[{"role":"robot","content":"hi"}]}""", ErrorCodes.InvalidParameter, "messages" },
        { """{"messages":[{"role":"user","content":42}]}""", ErrorCodes.InvalidParameter, "messages" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", ErrorCodes.InvalidParameter, "messages" },
        { """{"messages":[{"role":"user","content":"hi"}],"max_tokens":1e12}""", ErrorCodes.InvalidJson, null },
        { """{"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", ErrorCodes.InvalidJson, null },
        { """{"messages":[{"role":"user","content":"hi"}],"temperature":NaN}""", ErrorCodes.InvalidJson, null },
        { """{"messages":[{"role":"user","content":"hi"}""", ErrorCodes.InvalidJson, null },
        { """[1,2,3]""", ErrorCodes.InvalidJson, null },
        { """null""", ErrorCodes.InvalidJson, null },
        { "", ErrorCodes.InvalidJson, null },
    };

    [Theory]
    [MemberData(nameof(HostileChatBodies))]
    public async Task AHostileChatRequestGets400WithAStableCodeNamingTheParameter(string body, string code, string? param)
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/chat/completions", body);
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }

    [Fact]
    public async Task AnUnknownModelGets404ModelNotFound()
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/completions", """{"model":"gpt-4","prompt":"hi"}""");
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ErrorCodes.ModelNotFound, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task APromptLongerThanTheContextGetsAClean400ContextLengthExceeded()
    {
        var prompt = string.Join(" ", Enumerable.Repeat("the little dog ran to the park", 200));

        using var response = await fixture.Server.PostJsonAsync("/v1/completions", System.Text.Json.JsonSerializer.Serialize(new { prompt }));
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ContextLengthExceeded, error.GetProperty("code").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MaxTokensBeyondTheContextIsClampedToTheContextLeft()
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/completions", """{"prompt":"Once upon a time","max_tokens":100000,"temperature":0}""");
        var usage = (await InferenceTestServer.JsonAsync(response)).GetProperty("usage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(usage.GetProperty("total_tokens").GetInt32() <= fixture.Server.Model.ContextSize);
    }

    [Fact]
    public async Task AnOversizedBodyGets413RequestTooLarge()
    {
        var prompt = new string('a', 100 * 1024);

        using var response = await fixture.Server.PostJsonAsync("/v1/completions", System.Text.Json.JsonSerializer.Serialize(new { prompt }));
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ErrorCodes.RequestTooLarge, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ANonJsonBodyGets415()
    {
        using var content = new StringContent("prompt=hi", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await fixture.Server.Client.PostAsync(new Uri("/v1/completions", UriKind.Relative), content);
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(ErrorCodes.UnsupportedMediaType, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AStopSequenceCutsTheAnswerBeforeIt()
    {
        var whole = fixture.Reference.Generate("Once upon a time", parseSpecial: false, maxTokens: 40).Text;
        var stop = whole.Substring(20, 4);

        using var response = await fixture.Server.PostJsonAsync("/v1/completions", System.Text.Json.JsonSerializer.Serialize(new { prompt = "Once upon a time", max_tokens = 40, temperature = 0, stop }));
        var choice = (await InferenceTestServer.JsonAsync(response)).GetProperty("choices")[0];

        Assert.Equal(whole[..whole.IndexOf(stop, StringComparison.Ordinal)], choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task AnUnknownRouteGetsAStable404()
    {
        using var response = await fixture.Server.Client.GetAsync(new Uri("/v1/nothing-here", UriKind.Relative));
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ErrorCodes.NotFound, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AWrongMethodOnARouteGetsAStable405()
    {
        using var response = await fixture.Server.Client.GetAsync(new Uri("/v1/chat/completions", UriKind.Relative));
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidRequest, error.GetProperty("code").GetString());
    }

    private async Task AssertStillServingAsync()
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/completions", """{"prompt":"Hi","max_tokens":3}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
