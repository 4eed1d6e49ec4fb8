using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace EdgeLlm.Api.Tests.Authentication;

public sealed class ApiKeyAuthenticationTests
{
    [Fact]
    public async Task ARequestWithoutAKeyGetsAnOpenAiShaped401()
    {
        await using var server = await AuthTestServer.StartAsync();

        using var response = await server.Client.GetAsync(new Uri("/v1/ping", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var error = await OpenAiErrorAsync(response);
        Assert.Equal(ErrorCodes.MissingApiKey, error.GetProperty("code").GetString());
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer ellm_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task AGarbageKeyIsRefusedAsInvalid(string authorization)
    {
        await using var server = await AuthTestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(ErrorCodes.InvalidApiKey, (await OpenAiErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AValidInferenceKeyActsForItsTenant()
    {
        await using var server = await AuthTestServer.StartAsync();
        var key = server.Store.Create("app", "acme", [ApiScopes.Inference]).Key;

        using var response = await GetAsync(server, "/v1/ping", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("acme", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARevokedKeyIsRefused()
    {
        await using var server = await AuthTestServer.StartAsync();
        var created = server.Store.Create("app", "acme", [ApiScopes.Inference]);
        using (var before = await GetAsync(server, "/v1/ping", created.Key))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        server.Store.Revoke(created.Info.Id);
        using var response = await GetAsync(server, "/v1/ping", created.Key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidApiKey, (await OpenAiErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnInferenceKeyOnAnAdminEndpointGetsA403ProblemDetails()
    {
        await using var server = await AuthTestServer.StartAsync();
        var key = server.Store.Create("app", "acme", [ApiScopes.Inference]).Key;

        using var response = await GetAsync(server, "/admin/ping", key);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ErrorCodes.InsufficientScope, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(ApiScopes.Admin, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminKeyReachesAdminEndpointsButScopesDoNotImplyEachOther()
    {
        await using var server = await AuthTestServer.StartAsync();
        var key = server.Store.Create("ops", "acme", [ApiScopes.Admin]).Key;

        using var admin = await GetAsync(server, "/admin/ping", key);
        using var inference = await GetAsync(server, "/v1/ping", key);

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, inference.StatusCode);
        Assert.Equal(ErrorCodes.InsufficientScope, (await OpenAiErrorAsync(inference)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task WithAuthenticationDisabledEveryCallActsForTheDefaultTenant()
    {
        await using var server = await AuthTestServer.StartAsync(enabled: false);

        using var inference = await server.Client.GetAsync(new Uri("/v1/ping", UriKind.Relative));
        using var admin = await GetAsync(server, "/admin/ping", "garbage");

        Assert.Equal(HttpStatusCode.OK, inference.StatusCode);
        Assert.Equal(ApiKeyAuthenticationDefaults.DevelopmentTenant, await inference.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task RefusalsAreLoggedByKeyIdNeverByKey()
    {
        await using var server = await AuthTestServer.StartAsync();
        var created = server.Store.Create("app", "acme", [ApiScopes.Inference]);
        var forged = created.Key[..^4] + (created.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBA" : "AAAA");

        using (await GetAsync(server, "/v1/ping", forged))
        using (await GetAsync(server, "/admin/ping", created.Key))
        {
            server.Store.Revoke(created.Info.Id);
        }

        using (await GetAsync(server, "/v1/ping", created.Key))
        {
        }

        var entries = server.Logs.Entries.Where(e => e.EventId is >= 2100 and < 2200).ToList();
        Assert.Contains(entries, e => e.EventId == 2102 && e.Message.Contains(created.Info.Id, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EventId == 2103 && e.Message.Contains(created.Info.Id, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EventId == 2104 && e.Message.Contains(ApiScopes.Admin, StringComparison.Ordinal));
        var secret = created.Key[18..];
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains(forged[18..], StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> GetAsync(AuthTestServer server, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await server.Client.SendAsync(request);
    }

    private static async Task<JsonElement> OpenAiErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }
}
