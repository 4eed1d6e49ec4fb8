using System.ClientModel;
using System.Net;
using System.Numerics.Tensors;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using OpenAI;
using OpenAI.Embeddings;

namespace EdgeLlm.Api.Tests.Endpoints;

public sealed class EmbeddingsTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    [Fact]
    public async Task ABatchGetsOneUnitLengthVectorPerInputInOrder()
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/embeddings", """{"input":["The dog ran.","The cat slept.","The dog ran."]}""");
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vectors = body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        Assert.Equal(3, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(64, v.Length));
        Assert.All(vectors, v => Assert.Equal(1f, MathF.Sqrt(TensorPrimitives.SumOfSquares(v)), 3));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.True(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 6);
    }

    [Fact]
    public async Task TheOfficialOpenAiClientReadsBase64VectorsEqualToTheFloatOnes()
    {
        var client = new EmbeddingClient("stories260K", new ApiKeyCredential(fixture.Server.InferenceKey), new OpenAIClientOptions { Endpoint = new Uri(fixture.Server.Address, "/v1") });

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("A little bird sang.");
        using var response = await fixture.Server.PostJsonAsync("/v1/embeddings", """{"input":"A little bird sang.","encoding_format":"float"}""");
        var floats = (await InferenceTestServer.JsonAsync(response)).GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

        Assert.Equal(floats, embedding.ToFloats().ToArray());
    }

    [Theory]
    [InlineData("""{"input":""}""", "input")]
    [InlineData("""{"input":[]}""", "input")]
    [InlineData("""{"input":[1,2,3]}""", "input")]
    [InlineData("""{"input":"x","encoding_format":"hex"}""", "encoding_format")]
    [InlineData("""{"input":"x","dimensions":8}""", "dimensions")]
    public async Task ABadEmbeddingRequestGets400NamingTheParameter(string body, string param)
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/embeddings", body);
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidParameter, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
