using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Retrieval;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// A state-changing call that carries a signed-in person's session cookie acts only with the page's anti-forgery
/// token and the daemon's own origin (what another site's page could send is in <see cref="ConsoleCrossSiteFormTests"/>).
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
        var wrongToken = await CreateKeyAsync(client, cookie, name, token: new string('A', token.Length), origin: null);
        var foreignOrigin = await CreateKeyAsync(client, cookie, name, token, origin: "http://intranet.example");

        Assert.All(new[] { noToken, wrongToken, foreignOrigin }, refusal => Assert.Equal((HttpStatusCode.Forbidden, "csrf_token_invalid"), refusal));
        Assert.DoesNotContain(name, await KeyNamesAsync(daemon));

        // The same call from the console's own page (its token, its origin) does act: the refusals were the guard's.
        Assert.Equal(HttpStatusCode.Created, (await CreateKeyAsync(client, cookie, name, token, ownOrigin)).Status);
        var id = (await KeysAsync(daemon)).Single(k => k.GetProperty("name").GetString() == name).GetProperty("id").GetString();
        using (var revokeWithoutToken = new HttpRequestMessage(HttpMethod.Delete, $"/admin/keys/{id}").WithSessionCookie(cookie))
        using (var refused = await client.SendAsync(revokeWithoutToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Contains(await KeysAsync(daemon), k => k.GetProperty("id").GetString() == id && k.GetProperty("revoked_at").ValueKind == JsonValueKind.Null);
        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/admin/keys/{id}").WithSessionCookie(cookie);
        revoke.Headers.Add("X-CSRF-Token", token);
        using var revoked = await client.SendAsync(revoke);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
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

    internal static async Task<List<JsonElement>> KeysAsync(ConsoleDaemon daemon)
    {
        using var admin = daemon.WithKey(daemon.SignInKey);
        return [.. (await RetrievalDaemon.GetAsync(admin, "/admin/keys")).GetProperty("data").EnumerateArray()];
    }

    internal static async Task<List<string?>> KeyNamesAsync(ConsoleDaemon daemon) => [.. (await KeysAsync(daemon)).Select(k => k.GetProperty("name").GetString())];
}
