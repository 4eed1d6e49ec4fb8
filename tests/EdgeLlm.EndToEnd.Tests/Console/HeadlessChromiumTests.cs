using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>The browser the console tests stand on: Debian's chromium under Playwright, and the policy watch they trust.</summary>
public sealed class HeadlessChromiumTests(HeadlessChromium chromium) : IClassFixture<HeadlessChromium>
{
    [Fact]
    public async Task ChromiumRendersALocalPageAndRunsItsScript()
    {
        await using var page = await LoopbackPage.StartAsync(
            "<!doctype html><html lang=en><title>local</title><h1>before</h1><script>document.querySelector('h1').textContent = 'ran ' + (6 * 7);</script></html>");
        await using var tab = await chromium.OpenAsync();

        await tab.Page.GotoAsync(page.Url.ToString());

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("ran 42");
        Assert.Contains("HeadlessChrome", await tab.Page.EvaluateAsync<string>("navigator.userAgent"), StringComparison.Ordinal);
        Assert.Empty(tab.PolicyViolations);
    }

    [Fact]
    public async Task AnInlineScriptUnderAStrictPolicyIsRefusedAndReportedAsAViolation()
    {
        await using var page = await LoopbackPage.StartAsync(
            "<!doctype html><html lang=en><title>strict</title><h1>before</h1><script>document.querySelector('h1').textContent = 'ran';</script></html>",
            new Dictionary<string, string> { ["Content-Security-Policy"] = "default-src 'none'; script-src 'self'" });
        await using var tab = await chromium.OpenAsync();

        await tab.Page.GotoAsync(page.Url.ToString());

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("before");
        var violation = Assert.Single(tab.PolicyViolations);
        Assert.Contains("script-src 'self'", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScreenshotOfAnEmptyPageIsTakenForBlankAndOneOfTextIsNot()
    {
        await using var page = await LoopbackPage.StartAsync("<!doctype html><html lang=en><title>text</title><h1>EdgeLlm</h1><p>Some words to draw, and a few more so the page holds a paragraph.</p><p>Models, queue, tokens per second, uplink, last update.</p></html>");
        await using var tab = await chromium.OpenAsync();
        await tab.Page.GotoAsync("about:blank");

        var blank = await tab.Page.ScreenshotAsync(new() { Type = ScreenshotType.Png });
        await tab.Page.GotoAsync(page.Url.ToString());
        var text = await tab.Page.ScreenshotAsync(new() { Type = ScreenshotType.Png });

        var size = (HeadlessChromium.Viewport.Width, HeadlessChromium.Viewport.Height);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Screenshot.AssertDrawn(blank, size.Width, size.Height));
        Screenshot.AssertDrawn(text, size.Width, size.Height);
    }
}
