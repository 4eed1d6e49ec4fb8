using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Retrieval;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>Signing in to the console with an admin key, in a real browser against the real daemon.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSignInTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task TheAdminKeySignsInToAnOverviewThatShowsTheModelLoaded()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);

        var answer = await tab.SubmitKeyAsync(daemon.SignInKey);

        Assert.Equal(303, answer.Status);
        await Expect(tab.Page).ToHaveURLAsync(ConsoleSignIn.OverviewUrl());
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
        var models = tab.Page.GetByRole(AriaRole.Table, new() { Name = "Models", Exact = true });
        await Expect(models.GetByRole(AriaRole.Row).Filter(new() { HasText = ConsoleDaemon.ModelName })).ToContainTextAsync("loaded");
        var cookie = await tab.SessionCookieAsync();
        Assert.True(cookie.HttpOnly, "The session cookie is readable by script.");
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path);

        // The session acts as the key that signed in: the audit trail names that key for the sign-in.
        using var admin = daemon.WithKey(daemon.SignInKey);
        var keys = await RetrievalDaemon.GetAsync(admin, "/admin/keys");
        var keyId = keys.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("name").GetString() == ConsoleDaemon.SignInKeyName).GetProperty("id").GetString();
        var audit = await RetrievalDaemon.GetAsync(admin, "/admin/audit?limit=1000");
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("kind").GetString() == "signin" && KeyIdOf(e) == keyId);
    }

    [Fact]
    public async Task AWrongKeyOrAKeyWithoutTheAdminScopeIsNotAccepted()
    {
        // The same key id with another secret, then a valid key that may only run inference.
        var wrong = daemon.SignInKey[..^4] + (daemon.SignInKey.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        foreach (var key in new[] { wrong, daemon.InferenceOnlyKey })
        {
            await using var tab = await chromium.OpenAsync(daemon.Address);

            var answer = await tab.SubmitKeyAsync(key);

            Assert.Equal(401, answer.Status);
            await Expect(tab.Page).ToHaveURLAsync(ConsoleSignIn.SignInUrl());
            await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not accepted");
            Assert.DoesNotContain(await tab.Context.CookiesAsync(), c => c.Name == ConsoleSignIn.SessionCookie);
        }
    }

    private static string? KeyIdOf(JsonElement entry) =>
        entry.TryGetProperty("key_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
