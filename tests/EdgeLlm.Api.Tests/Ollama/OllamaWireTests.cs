using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Ollama;

/// <summary>The Ollama API on the wire, read byte for byte: its NDJSON framing, its error shape, and hostile bodies.</summary>
public sealed class OllamaWireTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    [Theory]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"Once upon a time"}],"options":{"temperature":0,"num_predict":16}}""", "message")]
    [InlineData("/api/generate", """{"model":"stories260K:latest","prompt":"Once upon a time","options":{"temperature":0,"num_predict":16}}""", "response")]
    public async Task AStreamIsOneJsonObjectPerLineEndingWithExactlyOneDoneObject(string path, string body, string textField)
    {
        using var response = await fixture.Server.PostJsonAsync(path, body);
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("\n", raw, StringComparison.Ordinal);
        var lines = raw[..^1].Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(lines.Count > 3, $"Only {lines.Count} lines.");
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Object, l.ValueKind));
        Assert.Single(lines, l => l.GetProperty("done").GetBoolean());
        var last = lines[^1];
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.Equal("length", last.GetProperty("done_reason").GetString());
        Assert.Equal(16, last.GetProperty("eval_count").GetInt32());
        foreach (var field in (string[])["total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_duration"])
        {
            Assert.True(last.GetProperty(field).GetInt64() >= 0, field);
        }

        Assert.All(lines[..^1], l => Assert.False(l.TryGetProperty("eval_count", out _)));
        Assert.All(lines, l => Assert.True(DateTimeOffset.TryParse(l.GetProperty("created_at").GetString(), out _)));
        Assert.All(lines, l => Assert.True(l.TryGetProperty(textField, out _)));
    }

    [Fact]
    public async Task ThePinnedModelCannotBeUnloadedByAClient()
    {
        using var unload = await fixture.Server.PostJsonAsync("/api/generate", """{"model":"stories260K","keep_alive":0}""");
        var refusal = await InferenceTestServer.JsonAsync(unload);
        using var running = await fixture.Server.Client.GetAsync("/api/ps");

        Assert.Equal(HttpStatusCode.BadRequest, unload.StatusCode);
        Assert.Equal("keep_alive", refusal.GetProperty("param").GetString());
        Assert.Contains("pinned", refusal.GetProperty("error").GetString());
        Assert.Single((await InferenceTestServer.JsonAsync(running)).GetProperty("models").EnumerateArray());
    }

    [Fact]
    public async Task StreamFalseAnswersOneJsonObjectWithAllTheText()
    {
        using var response = await fixture.Server.PostJsonAsync("/api/generate", """{"model":"stories260K","prompt":"Once upon a time","stream":false,"options":{"temperature":0,"num_predict":16}}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.GetProperty("done").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("response").GetString()));
        Assert.Equal(16, body.GetProperty("eval_count").GetInt32());
    }

    [Fact]
    public async Task ABodySentAsCurlSendsItWithAFormContentTypeIsStillRead()
    {
        using var content = new StringContent("""{"model":"stories260K","prompt":"Once","stream":false,"options":{"num_predict":2}}""", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await fixture.Server.Client.PostAsync("/api/generate", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoPromptOnlyLoadsTheModel()
    {
        using var response = await fixture.Server.PostJsonAsync("/api/generate", """{"model":"stories260K"}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("done").GetBoolean());
        Assert.Equal("load", body.GetProperty("done_reason").GetString());
        Assert.Equal("", body.GetProperty("response").GetString());
    }

    [Theory]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x"}],"options":{"top_p":0}}""", 400, ErrorCodes.InvalidParameter, "options.top_p")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x"}],"options":{"num_threads":4}}""", 400, ErrorCodes.InvalidParameter, "options.num_threads")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"tool","content":"x"}]}""", 400, ErrorCodes.InvalidParameter, "messages[0].role")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x","images":["aGk="]}]}""", 400, ErrorCodes.InvalidParameter, "messages[0].images")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x"}],"format":{"type":"string","pattern":"(a"}}""", 400, ErrorCodes.InvalidParameter, "format#/pattern")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x"}],"format":"yaml"}""", 400, ErrorCodes.InvalidParameter, "format")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x"}],"keep_alive":"forever"}""", 400, ErrorCodes.InvalidParameter, "keep_alive")]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x","keep_alive":"5\ud800m"}""", 400, ErrorCodes.InvalidText, "keep_alive")]
    [InlineData("/api/chat", """{"model":"stories260K","messages":[{"role":"user","content":"x"}],"think":true}""", 400, ErrorCodes.InvalidParameter, "think")]
    [InlineData("/api/chat", """{"messages":[{"role":"user","content":"x"}]}""", 400, ErrorCodes.InvalidParameter, "model")]
    [InlineData("/api/chat", """{"model":"stories260K:q4","messages":[{"role":"user","content":"x"}]}""", 404, ErrorCodes.ModelNotFound, "model")]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x","suffix":"y"}""", 400, ErrorCodes.InvalidParameter, "suffix")]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x","context":[1,2,3]}""", 400, ErrorCodes.InvalidParameter, "context")]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x","options":{"stop":["a"]},"format":"json"}""", 400, ErrorCodes.InvalidParameter, "options.stop")]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x","options":{"seed":-5}}""", 400, ErrorCodes.InvalidParameter, "options.seed")]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x","stream":"yes"}""", 400, ErrorCodes.InvalidJson, null)]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"x""", 400, ErrorCodes.InvalidJson, null)]
    [InlineData("/api/generate", "[]", 400, ErrorCodes.InvalidJson, null)]
    [InlineData("/api/generate", """{"model":"stories260K","prompt":"\ud800"}""", 400, ErrorCodes.InvalidText, "prompt")]
    [InlineData("/api/embed", """{"model":"stories260K","input":[1]}""", 400, ErrorCodes.InvalidParameter, "input")]
    [InlineData("/api/embed", """{"model":"stories260K","input":"x","dimensions":8}""", 400, ErrorCodes.InvalidParameter, "dimensions")]
    [InlineData("/api/show", """{"model":"llama3:latest"}""", 404, ErrorCodes.ModelNotFound, "model")]
    public async Task ARefusalIsOllamasErrorObjectWithTheStableCode(string path, string body, int status, string code, string? param)
    {
        using var response = await fixture.Server.PostJsonAsync(path, body);
        var error = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.TryGetProperty("param", out var named) ? named.GetString() : null);
    }

    [Fact]
    public async Task AnOversizedBodyIs413()
    {
        var body = """{"model":"stories260K","prompt":" """ + new string('a', 70_000) + "\"}";
        using var response = await fixture.Server.PostJsonAsync("/api/generate", body);
        var error = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ErrorCodes.RequestTooLarge, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task APromptLongerThanTheContextIsRefusedAsOnV1()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("dog", 900));
        using var response = await fixture.Server.PostJsonAsync("/api/generate", JsonSerializer.Serialize(new { model = "stories260K", prompt, raw = true }));
        var error = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ContextLengthExceeded, error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("POST", "/api/pull")]
    [InlineData("POST", "/api/push")]
    [InlineData("POST", "/api/create")]
    [InlineData("POST", "/api/copy")]
    [InlineData("DELETE", "/api/delete")]
    [InlineData("POST", "/api/blobs/sha256:abc")]
    public async Task ModelManagementIs501BecauseModelsArriveAsSignedBundles(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("""{"model":"llama3"}""", Encoding.UTF8, "application/json") };
        using var response = await fixture.Server.Client.SendAsync(request);
        var error = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal(ErrorCodes.ModelManagementUnsupported, error.GetProperty("code").GetString());
        Assert.Contains("signed bundles", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheOllamaRoutesNeedAnInferenceKey()
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Server.IngestOnlyKey);
        using var wrongScope = await client.GetAsync("/api/tags");
        client.DefaultRequestHeaders.Authorization = null;
        using var none = await client.GetAsync("/api/tags");

        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.Equal(ErrorCodes.InsufficientScope, (await InferenceTestServer.JsonAsync(wrongScope)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.False(string.IsNullOrEmpty((await InferenceTestServer.JsonAsync(none)).GetProperty("error").GetString()));
    }
}
