using System.Net;
using System.Net.Http.Headers;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>Every route refuses callers without the right key; only the health probes are open.</summary>
public sealed class AccessTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    public static TheoryData<string, string> InferenceRoutes => new()
    {
        { "GET", "/v1/models" },
        { "GET", "/v1/models/stories260K" },
        { "POST", "/v1/chat/completions" },
        { "POST", "/v1/completions" },
        { "POST", "/v1/embeddings" },
    };

    [Theory]
    [MemberData(nameof(InferenceRoutes))]
    public async Task ACallWithoutAKeyIsRefusedWith401(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.Address };
        using var request = Request(method, path, key: null);
        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ErrorCodes.MissingApiKey, (await InferenceTestServer.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(InferenceRoutes))]
    public async Task ACallWithAWrongKeyIsRefusedWith401(string method, string path)
    {
        using var request = Request(method, path, key: fixture.Server.InferenceKey[..^4] + "AAAA");
        using var response = await fixture.Server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidApiKey, (await InferenceTestServer.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(InferenceRoutes))]
    public async Task AKeyWithoutTheInferenceScopeIsRefusedWith403(string method, string path)
    {
        using var request = Request(method, path, key: fixture.Server.IngestOnlyKey);
        using var response = await fixture.Server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ErrorCodes.InsufficientScope, (await InferenceTestServer.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/healthz", "alive")]
    [InlineData("/readyz", "ready")]
    public async Task TheHealthProbesAreOpenWithoutAKey(string path, string status)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.Address };
        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, (await InferenceTestServer.JsonAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheModelListNamesTheServedModel()
    {
        using var response = await fixture.Server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative));
        var body = await InferenceTestServer.JsonAsync(response);

        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("stories260K", Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    private static HttpRequestMessage Request(string method, string path, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"prompt":"hi","input":"hi","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""", System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }
}
