using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>A console session ends when its person signs out: its cookie, kept by someone else, opens nothing.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSessionTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task APageWithoutASessionRedirectsToSignIn()
    {
        using var anonymous = daemon.WithoutCredentials();

        foreach (var path in new[] { "/console", "/console/keys", "/console/updates" })
        {
            using var answer = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

            Assert.True(answer.StatusCode == HttpStatusCode.SeeOther, $"GET {path}: {(int)answer.StatusCode}");
            Assert.Equal("/console/signin", answer.Headers.Location?.IsAbsoluteUri == true ? answer.Headers.Location.AbsolutePath : answer.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task AfterSignOutTheOldCookieIsRefusedByTheApiAndTheConsole()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var cookie = (await tab.SessionCookieAsync()).Value;
        using var replay = daemon.WithoutCredentials();
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(replay, "/admin/status", cookie));

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();

        await Expect(tab.Page).ToHaveURLAsync(ConsoleSignIn.SignInUrl());
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusOfAsync(replay, "/admin/status", cookie));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console").WithSessionCookie(cookie);
        using var page = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
        Assert.EndsWith("/console/signin", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusOfAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithSessionCookie(cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
