using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>Signing in to the console as a person does, and what a signed-in page carries: its session cookie and anti-forgery token.</summary>
internal static partial class ConsoleSignIn
{
    public const string SessionCookie = "edgellm_console";

    /// <summary>Fills in the key on <c>/console/signin</c> and presses the button; the answer to the form's post.</summary>
    public static async Task<IResponse> SubmitKeyAsync(this BrowserTab tab, string key)
    {
        await tab.Page.GotoAsync("/console/signin");
        await tab.Page.GetByLabel("Admin API key", new() { Exact = true }).FillAsync(key);
        return await tab.Page.RunAndWaitForResponseAsync(
            () => tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(),
            response => response.Request.Method == "POST" && SignInUrl().IsMatch(new Uri(response.Url).AbsolutePath));
    }

    /// <summary>Signs in with <paramref name="key"/> and waits for the overview it lands on; fails at once, with the page's alert, when refused.</summary>
    public static async Task SignInAsync(this BrowserTab tab, string key)
    {
        var answer = await tab.SubmitKeyAsync(key);
        if (answer.Status != 303)
        {
            var alert = await tab.Page.GetByRole(AriaRole.Alert).AllTextContentsAsync();
            throw new Xunit.Sdk.XunitException($"Signing in answered {answer.Status}, not 303: {string.Join(" ", alert)}");
        }

        await Expect(tab.Page).ToHaveURLAsync(OverviewUrl());
    }

    /// <summary>The value of the session cookie the browser holds; fails when it holds none.</summary>
    public static async Task<BrowserContextCookiesResult> SessionCookieAsync(this BrowserTab tab)
    {
        var cookies = await tab.Context.CookiesAsync();
        return cookies.SingleOrDefault(c => c.Name == SessionCookie)
            ?? throw new Xunit.Sdk.XunitException($"The browser holds no {SessionCookie} cookie; it holds: {string.Join(", ", cookies.Select(c => c.Name))}.");
    }

    /// <summary>The session's anti-forgery token, from <c>&lt;meta name="csrf-token"&gt;</c> on the page shown.</summary>
    public static async Task<string> CsrfTokenAsync(this IPage page)
    {
        var token = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        return string.IsNullOrEmpty(token) ? throw new Xunit.Sdk.XunitException($"{page.Url} has no csrf-token meta element.") : token;
    }

    /// <summary>A request that carries only the session cookie <paramref name="value"/> as its credential.</summary>
    public static HttpRequestMessage WithSessionCookie(this HttpRequestMessage request, string value)
    {
        request.Headers.Add("Cookie", $"{SessionCookie}={value}");
        return request;
    }

    [GeneratedRegex(@"/console$")]
    public static partial Regex OverviewUrl();

    [GeneratedRegex(@"/console/signin$")]
    public static partial Regex SignInUrl();
}
