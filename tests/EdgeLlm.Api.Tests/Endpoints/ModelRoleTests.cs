using System.Net;
using System.Numerics.Tensors;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// The daemon serving a synthetic BERT (written at test time) as its first model, with the role embedding, stories260K as a
/// chat model after it, and stories260K again as a guard: the BERT embeds on <c>/v1/embeddings</c>, generation naming it is
/// refused, a request that names no model goes to the chat model, and no public endpoint serves the guard.
/// </summary>
public sealed class ModelRoleTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await InferenceTestServer.StartAsync(SyntheticBert.MeanPooled, new Dictionary<string, string>
        {
            ["Inference:Models:0:Name"] = "bert-tiny",
            ["Inference:Models:0:Role"] = "embedding",
            ["Inference:Models:1:Name"] = "stories",
            ["Inference:Models:1:Path"] = TestModels.Stories260K,
            ["Inference:Models:1:FallbackChatTemplate"] = "plain",
            ["Inference:Models:2:Name"] = "stories-guard",
            ["Inference:Models:2:Path"] = TestModels.Stories260K,
            ["Inference:Models:2:Role"] = "guard",
            ["Api:RateLimitPerSecond"] = "0",
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheEmbeddingModelAnswersWithUnitVectorsOfItsHiddenSize()
    {
        using var response = await _server.PostJsonAsync("/v1/embeddings", """{"model":"bert-tiny","input":["The dog ran.","The cat slept.","The dog ran."]}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bert-tiny", body.GetProperty("model").GetString());
        var vectors = body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        Assert.All(vectors, v => Assert.Equal(SyntheticBert.HiddenSize, v.Length));
        Assert.All(vectors, v => Assert.Equal(1f, MathF.Sqrt(TensorPrimitives.SumOfSquares(v)), 3));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"bert-tiny","messages":[{"role":"user","content":"Hello"}],"max_tokens":4}""")]
    [InlineData("/v1/completions", """{"model":"bert-tiny","prompt":"Hello","max_tokens":4}""")]
    public async Task GenerationNamingTheEmbeddingModelIsRefusedNamingItsRole(string path, string request)
    {
        using var response = await _server.PostJsonAsync(path, request);
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ModelRoleMismatch, error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Contains("'bert-tiny' has the role embedding", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"stories-guard","messages":[{"role":"user","content":"Hello"}],"max_tokens":4}""")]
    [InlineData("/v1/completions", """{"model":"stories-guard","prompt":"Hello","max_tokens":4}""")]
    [InlineData("/v1/embeddings", """{"model":"stories-guard","input":"Hello"}""")]
    public async Task NoPublicEndpointServesAGuardModel(string path, string request)
    {
        using var response = await _server.PostJsonAsync(path, request);
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.ModelRoleMismatch, error.GetProperty("code").GetString());
        Assert.Contains("'stories-guard' has the role guard", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestNamingNoModelGoesToTheFirstChatModelNotTheFirstModel()
    {
        using var chat = await _server.PostJsonAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":4}""");
        using var completion = await _server.PostJsonAsync("/v1/completions", """{"prompt":"Once upon a time","max_tokens":4}""");

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal("stories", (await InferenceTestServer.JsonAsync(chat)).GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.Equal("stories", (await InferenceTestServer.JsonAsync(completion)).GetProperty("model").GetString());
    }

    [Fact]
    public async Task AChatModelStillEmbeds()
    {
        using var response = await _server.PostJsonAsync("/v1/embeddings", """{"model":"stories","input":"A little bird sang."}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stories", body.GetProperty("model").GetString());
        Assert.Equal(64, body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public async Task TheModelListSaysEachModelsRole()
    {
        var list = await InferenceTestServer.JsonAsync(await _server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative)));

        var roles = list.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("edgellm").GetProperty("role").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["bert-tiny"] = "embedding", ["stories"] = "chat", ["stories-guard"] = "guard" }, roles);
    }
}
