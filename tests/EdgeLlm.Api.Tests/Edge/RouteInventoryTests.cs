using System.Net;
using System.Net.Http.Headers;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.Edge;

/// <summary>
/// Every endpoint the API maps, found by enumerating the routing table (not a hand-kept list), refuses a missing,
/// a revoked, an expired and a wrong-scope key, except the explicit allow-list. A new endpoint without an
/// authorization policy fails here.
/// </summary>
public sealed class RouteInventoryTests
{
    /// <summary>
    /// Open on purpose: liveness and readiness probes for systemd, containers and load balancers, and the
    /// Prometheus scrape (counts only, never text or keys; scrapers rarely carry keys).
    /// </summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal) { "/healthz", "/readyz", "/metrics" };

    /// <summary>
    /// The console's own routes: sign-in and sign-out (their forms carry their own anti-forgery token), its hashed
    /// assets, and its pages, which hold no data (their script reads it from the admin API) and send a browser
    /// without a session to sign in: checked below, route by route.
    /// </summary>
    private static readonly HashSet<string> ConsoleRoutes = new(StringComparer.Ordinal) { "/console/signin", "/console/signout", "/console/assets/{file}" };

    [Fact]
    public async Task EveryEndpointButTheAllowListRefusesMissingRevokedExpiredAndWrongScopeKeys()
    {
        // Composed as the daemon is, so every part's routes are covered.
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string> { ["Api:RateLimitPerSecond"] = "0" });
        var store = server.Services.GetRequiredService<ApiKeyStore>();
        var revoked = store.Create("revoked", "tenant-a", ApiScopes.All);
        store.Revoke(revoked.Info.Id);
        var expired = store.Create("expired", "tenant-a", ApiScopes.All, DateTimeOffset.UtcNow.AddSeconds(-1)).Key;
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(routes.Count >= 20, $"Only {routes.Count} endpoints were found.");

        var checkedRoutes = 0;
        foreach (var route in routes)
        {
            var pattern = "/" + route.RoutePattern.RawText!.TrimStart('/');
            var methods = route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            if (Anonymous.Contains(pattern) || ConsoleRoutes.Contains(pattern))
            {
                Assert.NotNull(route.Metadata.GetMetadata<IAllowAnonymous>());
                continue;
            }

            if (pattern.StartsWith("/console", StringComparison.Ordinal))
            {
                Assert.Equal(["GET"], methods);
                using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
                using var page = await client.GetAsync(System.Text.RegularExpressions.Regex.Replace(pattern, "{[^}]+}", "probe"));
                Assert.True(page.StatusCode == HttpStatusCode.SeeOther && page.Headers.Location?.OriginalString == "/console/signin", $"{pattern} without a session answered {(int)page.StatusCode} {page.Headers.Location}.");
                continue;
            }

            var policies = route.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            Assert.True(policies.Count > 0, $"{string.Join(",", methods)} {pattern} has no authorization policy.");
            var wrongScope = store.Create("wrong", "tenant-a", WrongScopesFor(policies[0])).Key;
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, "{[^}]+}", "probe");
            foreach (var method in methods)
            {
                Assert.Equal((HttpStatusCode.Unauthorized, "missing_api_key"), await SendAsync(server, method, path, null));
                Assert.Equal((HttpStatusCode.Unauthorized, "invalid_api_key"), await SendAsync(server, method, path, revoked.Key));
                Assert.Equal((HttpStatusCode.Unauthorized, "expired_api_key"), await SendAsync(server, method, path, expired));
                Assert.Equal((HttpStatusCode.Forbidden, "insufficient_scope"), await SendAsync(server, method, path, wrongScope));
                checkedRoutes++;
            }
        }

        Assert.True(checkedRoutes >= 20, $"Only {checkedRoutes} routes were checked.");
        Assert.Contains(routes, r => r.RoutePattern.RawText == "/admin/status");
        Assert.Contains(routes, r => r.RoutePattern.RawText == "/metrics");
    }

    /// <summary>Scopes that do not satisfy <paramref name="policy"/>.</summary>
    private static string[] WrongScopesFor(string policy) => policy switch
    {
        ApiScopes.RetrievalReadPolicy => [ApiScopes.Admin],
        _ => [.. ApiScopes.All.Where(s => s != policy)],
    };

    private static async Task<(HttpStatusCode, string?)> SendAsync(InferenceTestServer server, string method, string path, string? key)
    {
        using var client = new HttpClient { BaseAddress = server.Address };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await client.SendAsync(request);
        var body = await InferenceTestServer.JsonAsync(response);
        // OpenAI's shape nests the code in "error"; Ollama's (under /api) has "error" as the message and the code beside it.
        var code = body.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object
            ? error.GetProperty("code").GetString()
            : body.GetProperty("code").GetString();
        return (response.StatusCode, code);
    }
}
