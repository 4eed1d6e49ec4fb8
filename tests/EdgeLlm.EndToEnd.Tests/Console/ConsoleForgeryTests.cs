using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Retrieval;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// A request forged with a signed-in person's session does nothing: another site's page never gets the cookie sent
/// (SameSite=Strict), and a request that does carry it needs the page's anti-forgery token and the daemon's own origin.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleForgeryTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task ACallWithTheSessionCookieButNoTokenOrAForeignOriginIsRefusedAndChangesNothing()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var cookie = (await tab.SessionCookieAsync()).Value;
        var token = await tab.Page.CsrfTokenAsync();
        var name = "forged-" + Guid.NewGuid().ToString("N")[..8];
        var ownOrigin = daemon.Address.GetLeftPart(UriPartial.Authority);
        using var client = daemon.WithoutCredentials();

        var noToken = await CreateKeyAsync(client, cookie, name, token: null, origin: null);
        var wrongToken = await CreateKeyAsync(client, cookie, name, token: token[..^2] + "xx", origin: null);
        var foreignOrigin = await CreateKeyAsync(client, cookie, name, token, origin: "http://intranet.example");

        Assert.All(new[] { noToken, wrongToken, foreignOrigin }, refusal => Assert.Equal((HttpStatusCode.Forbidden, "csrf_token_invalid"), refusal));
        Assert.DoesNotContain(name, await KeyNamesAsync());

        // The same call from the console's own page (its token, its origin) does act: the refusals were the guard's.
        Assert.Equal(HttpStatusCode.Created, (await CreateKeyAsync(client, cookie, name, token, ownOrigin)).Status);
        var id = (await KeysAsync()).Single(k => k.GetProperty("name").GetString() == name).GetProperty("id").GetString();
        using (var revokeWithoutToken = new HttpRequestMessage(HttpMethod.Delete, $"/admin/keys/{id}").WithSessionCookie(cookie))
        using (var refused = await client.SendAsync(revokeWithoutToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Contains(await KeysAsync(), k => k.GetProperty("id").GetString() == id && k.GetProperty("revoked_at").ValueKind == JsonValueKind.Null);
        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/admin/keys/{id}").WithSessionCookie(cookie);
        revoke.Headers.Add("X-CSRF-Token", token);
        using var revoked = await client.SendAsync(revoke);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
    }

    [Fact]
    public async Task AFormOnAnotherSitePostedWithTheSignedInBrowserDoesNotAct()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var name = "cross-site-" + Guid.NewGuid().ToString("N")[..8];

        // The classic JSON forgery: a text/plain form whose one field spells a JSON body; and a sign-out with a made-up token.
        var body = $"{{\"name\":\"{name}\",\"tenant\":\"{ConsoleDaemon.Tenant}\",\"scopes\":[\"admin\",\"inference\"],\"pad\":\"";
        var html = $$"""
            <!doctype html><html lang=en><title>Another site</title>
            <form id=keys method=post enctype=text/plain action="{{daemon.Address}}admin/keys"><input type=hidden name='{{body}}' value='"}'><button>Win a prize</button></form>
            <form id=signout method=post action="{{daemon.Address}}console/signout"><input type=hidden name=csrf value=guessed><button>Sign out</button></form>
            </html>
            """;
        await using var site = await LoopbackPage.StartAsync(html);

        await tab.Page.GotoAsync(site.Url.ToString());
        var keys = await tab.Page.RunAndWaitForResponseAsync(() => tab.Page.Locator("#keys button").ClickAsync(), r => r.Url.EndsWith("/admin/keys", StringComparison.Ordinal));
        await tab.Page.GotoAsync(site.Url.ToString());
        await tab.Page.RunAndWaitForResponseAsync(() => tab.Page.Locator("#signout button").ClickAsync(), r => r.Url.EndsWith("/console/signout", StringComparison.Ordinal));

        // 401, not 403: the cookie never went with the post, so the daemon saw no credential at all.
        Assert.Equal(401, keys.Status);
        Assert.DoesNotContain(name, await KeyNamesAsync());
        await tab.Page.GotoAsync("/console");
        await Expect(tab.Page).ToHaveURLAsync(ConsoleSignIn.OverviewUrl());
    }

    private static async Task<(HttpStatusCode Status, string? Code)> CreateKeyAsync(HttpClient client, string cookie, string name, string? token, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys")
        {
            Content = JsonContent.Create(new { name, tenant = ConsoleDaemon.Tenant, scopes = new[] { "admin", "inference" } }),
        }.WithSessionCookie(cookie);
        if (token is not null)
        {
            request.Headers.Add("X-CSRF-Token", token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? null : ErrorCode(text));
    }

    /// <summary>The stable code of an error answer, in the OpenAI shape (<c>error.code</c>) or as problem details (<c>code</c>).</summary>
    private static string? ErrorCode(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        return root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error.GetProperty("code").GetString() : root.GetProperty("code").GetString();
    }

    private async Task<List<JsonElement>> KeysAsync()
    {
        using var admin = daemon.WithKey(daemon.SignInKey);
        return [.. (await RetrievalDaemon.GetAsync(admin, "/admin/keys")).GetProperty("data").EnumerateArray()];
    }

    private async Task<List<string?>> KeyNamesAsync() => [.. (await KeysAsync()).Select(k => k.GetProperty("name").GetString())];
}
