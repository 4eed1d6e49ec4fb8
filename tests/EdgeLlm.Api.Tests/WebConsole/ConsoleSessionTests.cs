using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.WebConsole;

/// <summary>
/// The console's sign-in, session and anti-forgery rules through the daemon's composition on real Kestrel: what a
/// browser's requests get, and what a replayed or forged one gets.
/// </summary>
public sealed partial class ConsoleSessionTests(ConsoleServerFixture fixture) : IClassFixture<ConsoleServerFixture>
{
    private InferenceTestServer Server => fixture.Server;

    [Fact]
    public async Task SignInExchangesAnAdminKeyForAStrictHttpOnlySessionCookie()
    {
        using var browser = new ConsoleBrowser(Server.Address);
        using var answer = await browser.SignInAsync(fixture.AdminKey);

        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        Assert.Equal("/console", answer.Headers.Location?.OriginalString);
        var cookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("edgellm_console=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("path=/;", cookie + ";");
        Assert.DoesNotContain("secure", cookie); // Plain HTTP here; under TLS the cookie is Secure.
        Assert.DoesNotContain(fixture.AdminKey.ToLowerInvariant(), cookie);

        using var page = await browser.Client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Overview</h1>", html);
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task EveryPageHasAStrictPolicyAndNoInlineScriptOrStyle()
    {
        using var browser = new ConsoleBrowser(Server.Address);
        (await browser.SignInAsync(fixture.AdminKey)).Dispose();
        foreach (var path in new[] { "/console/signin", "/console", "/console/models", "/console/playground", "/console/updates", "/console/collections", "/console/collections/manuals", "/console/keys", "/console/audit", "/console/policies" })
        {
            using var page = await browser.Client.GetAsync(path);
            var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy);
            Assert.Contains("style-src 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("unsafe", policy);
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
            var html = await page.Content.ReadAsStringAsync();
            if (path == "/console/signin")
            {
                Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var scripts = ScriptTag().Matches(html);
            Assert.Equal(3, scripts.Count);
            Assert.All(scripts, s => Assert.Matches("src=\"/console/assets/[a-z-]+\\.[0-9a-f]{12}\\.js\"", s.Value));
            Assert.DoesNotMatch("<script(?![^>]*src=)", html);
            Assert.DoesNotMatch("(?i)<style|\\sstyle=|\\son[a-z]+=", html);
        }
    }

    [Fact]
    public async Task AssetsAreServedUnderTheirHashForAYearAndNothingElseIs()
    {
        using var browser = new ConsoleBrowser(Server.Address);
        (await browser.SignInAsync(fixture.AdminKey)).Dispose();
        var html = await browser.Client.GetStringAsync("/console");
        var script = Regex.Match(html, "src=\"(/console/assets/console\\.[0-9a-f]{12}\\.js)\"").Groups[1].Value;

        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        using var asset = await anonymous.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());
        Assert.Contains("X-CSRF-Token", await asset.Content.ReadAsStringAsync());
        using var stale = await anonymous.GetAsync("/console/assets/console.000000000000.js");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
    }

    [Theory]
    [InlineData("ellm_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    [InlineData("not a key")]
    [InlineData("inference-only")]
    public async Task AKeyThatIsNotAnAdminKeyIsNotAcceptedAndGetsNoSession(string key)
    {
        using var browser = new ConsoleBrowser(Server.Address);
        using var answer = await browser.SignInAsync(key == "inference-only" ? Server.InferenceKey : key);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("role=\"alert\"", await answer.Content.ReadAsStringAsync());
        Assert.Contains("not accepted", await answer.Content.ReadAsStringAsync());
        Assert.Null(browser.SessionCookie);
        var audit = await AuditAsync();
        Assert.Contains(audit, e => e.Kind == "signin_refused");
    }

    [Fact]
    public async Task ASignInPostWithoutItsFormTokenIsRefused()
    {
        using var browser = new ConsoleBrowser(Server.Address);
        using var answer = await browser.Client.PostAsync("/console/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = fixture.AdminKey }));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Null(browser.SessionCookie);
    }

    [Fact]
    public async Task TheSessionActsAsItsKeyAndItsCallsAreAuditedAsThatKeys()
    {
        var key = Server.Services.GetRequiredService<ApiKeyStore>().Create("auditor", "ops", [ApiScopes.Admin]);
        using var browser = new ConsoleBrowser(Server.Address);
        (await browser.SignInAsync(key.Key)).Dispose();

        using var status = await browser.Client.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var audit = await AuditAsync();
        Assert.Contains(audit, e => e.Kind == "signin" && e.KeyId == key.Info.Id);
        Assert.Contains(audit, e => e.Kind == "admin" && e.KeyId == key.Info.Id && e.Path == "/admin/status" && e.Status == 200);
    }

    [Fact]
    public async Task AStateChangingCallWithoutTheTokenOrFromAnotherOriginIsRefusedAndChangesNothing()
    {
        using var browser = new ConsoleBrowser(Server.Address);
        (await browser.SignInAsync(fixture.AdminKey)).Dispose();
        var token = await browser.PageTokenAsync();
        var before = (await KeysAsync()).Count;

        Assert.Equal((HttpStatusCode.Forbidden, "csrf_token_invalid"), await CreateKeyAsync(browser, token: null, origin: null));
        Assert.Equal((HttpStatusCode.Forbidden, "csrf_token_invalid"), await CreateKeyAsync(browser, token: "forged", origin: null));
        Assert.Equal((HttpStatusCode.Forbidden, "csrf_token_invalid"), await CreateKeyAsync(browser, token, origin: "http://intranet.example"));
        Assert.Equal(before, (await KeysAsync()).Count);
        Assert.Contains(await AuditAsync(), e => e.Code == "csrf_token_invalid" && e.KeyId == fixture.AdminKeyId);

        Assert.Equal((HttpStatusCode.Created, null), await CreateKeyAsync(browser, token, origin: Server.Address.GetLeftPart(UriPartial.Authority)));
        Assert.Equal(before + 1, (await KeysAsync()).Count);
    }

    [Fact]
    public async Task AfterSignOutTheOldCookieIsRefusedEverywhere()
    {
        using var browser = new ConsoleBrowser(Server.Address);
        (await browser.SignInAsync(fixture.AdminKey)).Dispose();
        var cookie = browser.SessionCookie!;

        using var signedOut = await browser.SignOutAsync();
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);
        Assert.Equal("/console/signin", signedOut.Headers.Location?.OriginalString);

        using var replay = new ConsoleBrowser(Server.Address);
        replay.Cookies.Add(Server.Address, new Cookie("edgellm_console", cookie));
        using var status = await replay.Client.GetAsync("/admin/status");
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Equal("invalid_session", (await InferenceTestServer.JsonAsync(status)).GetProperty("code").GetString());
        using var page = await replay.Client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
        Assert.Equal("/console/signin", page.Headers.Location?.OriginalString);
        Assert.Contains(await AuditAsync(), e => e.Kind == "signout" && e.KeyId == fixture.AdminKeyId);
    }

    [Fact]
    public async Task RevokingTheKeyEndsItsSessionsAtOnce()
    {
        var created = Server.Services.GetRequiredService<ApiKeyStore>().Create("short-lived", "ops", [ApiScopes.Admin]);
        using var browser = new ConsoleBrowser(Server.Address);
        (await browser.SignInAsync(created.Key)).Dispose();
        using (var before = await browser.Client.GetAsync("/admin/status"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var revoke = await fixture.Admin.DeleteAsync("/admin/keys/" + created.Info.Id);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var after = await browser.Client.GetAsync("/admin/status");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private async Task<(HttpStatusCode, string?)> CreateKeyAsync(ConsoleBrowser browser, string? token, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = JsonContent.Create(new { name = "from-console", tenant = "ops", scopes = new[] { "inference" } }) };
        if (token is not null)
        {
            request.Headers.Add("X-CSRF-Token", token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await browser.Client.SendAsync(request);
        var body = await InferenceTestServer.JsonAsync(response);
        return (response.StatusCode, body.TryGetProperty("code", out var code) ? code.GetString() : null);
    }

    private async Task<List<System.Text.Json.JsonElement>> KeysAsync() =>
        [.. (await InferenceTestServer.JsonAsync(await fixture.Admin.GetAsync("/admin/keys"))).GetProperty("data").EnumerateArray()];

    private async Task<List<AuditRow>> AuditAsync() =>
        [.. (await InferenceTestServer.JsonAsync(await fixture.Admin.GetAsync("/admin/audit?limit=1000"))).GetProperty("data").EnumerateArray().Select(e => new AuditRow(
            e.GetProperty("kind").GetString()!, e.GetProperty("key_id").GetString(), e.GetProperty("path").GetString()!, e.GetProperty("status").GetInt32(), e.GetProperty("code").GetString()))];

    private sealed record AuditRow(string Kind, string? KeyId, string Path, int Status, string? Code);

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}

/// <summary>A stories260K server (pinned) with an on-demand second model, an admin key, and a client carrying it.</summary>
public sealed class ConsoleServerFixture : IAsyncLifetime
{
    internal InferenceTestServer Server { get; private set; } = null!;

    internal string AdminKey { get; private set; } = null!;

    internal string AdminKeyId { get; private set; } = null!;

    internal HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Api:RateLimitPerSecond"] = "0",
            ["Inference:Models:0:Name"] = "stories",
            ["Inference:Models:1:Name"] = "spare",
            ["Inference:Models:1:Path"] = TestModels.TinyRandomLlama2,
            ["Inference:Models:1:LoadPolicy"] = "on-demand",
        });
        var created = Server.Services.GetRequiredService<ApiKeyStore>().Create("operator", "ops", [ApiScopes.Admin, ApiScopes.Inference, ApiScopes.Ingest]);
        AdminKey = created.Key;
        AdminKeyId = created.Info.Id;
        Admin = new HttpClient { BaseAddress = Server.Address };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }
}
