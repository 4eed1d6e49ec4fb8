using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// A form on another site, posted from the browser a person is signed in with, acts on nothing. The other site is a
/// page on <c>localhost</c> (the daemon is <c>127.0.0.1</c>: another site to the browser), so SameSite=Strict keeps
/// the session cookie off its posts.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleCrossSiteFormTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task AJsonBodyFormPostedFromAnotherSiteCreatesNoKey()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var name = "cross-site-" + Guid.NewGuid().ToString("N")[..8];

        // The classic JSON forgery: a text/plain form whose one field and its '=' spell a JSON body.
        var body = $"{{\"name\":\"{name}\",\"tenant\":\"{ConsoleDaemon.Tenant}\",\"scopes\":[\"admin\",\"inference\"],\"pad\":\"";
        var answer = await PostFromAnotherSiteAsync(tab, $$"""
            <form method=post enctype=text/plain action="{{daemon.Address}}admin/keys"><input type=hidden name='{{body}}' value='"}'><button>Win a prize</button></form>
            """, "/admin/keys");

        // 401, not 403: the cookie never went with the post, so the daemon saw no credential at all.
        Assert.Equal(401, answer.Status);
        Assert.DoesNotContain(name, await ConsoleForgeryTests.KeyNamesAsync(daemon));
    }

    [Fact]
    public async Task ASignOutFormPostedFromAnotherSiteLeavesTheSessionAndTheBrowsersCookieAlone()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var cookie = (await tab.SessionCookieAsync()).Value;

        await PostFromAnotherSiteAsync(tab, $"""
            <form method=post action="{daemon.Address}console/signout"><input type=hidden name=csrf value=guessed><button>Sign out</button></form>
            """, "/console/signout");

        using var client = daemon.WithoutCredentials();
        using (var status = new HttpRequestMessage(HttpMethod.Get, "/admin/status").WithSessionCookie(cookie))
        using (var answer = await client.SendAsync(status))
        {
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"The session ended on the daemon: {(int)answer.StatusCode}.");
        }

        Assert.True(
            (await tab.Context.CookiesAsync()).Any(c => c.Name == ConsoleSignIn.SessionCookie && c.Value == cookie),
            "The browser no longer holds its session cookie: the other site's post to /console/signout signed it out.");
        await tab.Page.GotoAsync("/console");
        await Expect(tab.Page).ToHaveURLAsync(ConsoleSignIn.OverviewUrl());
    }

    /// <summary>Opens a page on another site holding <paramref name="form"/>, presses its button, and returns the daemon's answer to the post.</summary>
    private static async Task<IResponse> PostFromAnotherSiteAsync(BrowserTab tab, string form, string path)
    {
        await using var site = await LoopbackPage.StartAsync($"<!doctype html><html lang=en><title>Another site</title>{form}</html>");
        await tab.Page.GotoAsync(site.Url.ToString());
        return await tab.Page.RunAndWaitForResponseAsync(
            () => tab.Page.GetByRole(AriaRole.Button).ClickAsync(), r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == path);
    }
}
