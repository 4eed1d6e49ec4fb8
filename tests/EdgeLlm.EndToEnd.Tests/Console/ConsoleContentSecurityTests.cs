using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// Every console page, as the browser got it: a strict Content-Security-Policy and the other protective headers, no
/// inline script or style in its live DOM, no violation reported while it loaded and filled, and its assets
/// fingerprinted and cached for good.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleContentSecurityTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task EveryPageSendsAStrictPolicyAndCarriesNoInlineScriptOrStyle()
    {
        await daemon.SeedAsync();
        await using var tab = await chromium.OpenAsync(daemon.Address);
        var problems = new List<string>();
        var assets = new HashSet<string>(StringComparer.Ordinal);

        await CheckAsync(tab.Page, ConsolePages.SignIn, problems, assets);
        await tab.SignInAsync(daemon.SignInKey);
        foreach (var page in ConsolePages.SignedIn(ConsoleDaemon.SeededCollection, ConsoleDaemon.SeededDocumentTitle))
        {
            await CheckAsync(tab.Page, page, problems, assets);
        }

        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        using var anonymous = daemon.WithoutCredentials();
        foreach (var asset in assets)
        {
            using var answer = await anonymous.GetAsync(new Uri(asset, UriKind.Relative));
            var caching = answer.Headers.CacheControl;
            if (answer.StatusCode != HttpStatusCode.OK || !AssetPath().IsMatch(asset) || caching is not { Public: true, MaxAge.TotalSeconds: 31536000 } || !caching.Extensions.Any(e => e.Name == "immutable"))
            {
                problems.Add($"asset {asset}: {(int)answer.StatusCode}, Cache-Control '{caching}'");
            }
        }

        problems.AddRange(tab.PolicyViolations.Select(v => "violation: " + v));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static async Task CheckAsync(IPage browser, ConsolePage page, List<string> problems, HashSet<string> assets)
    {
        var response = await page.VisitAsync(browser);
        var headers = await response.AllHeadersAsync();
        problems.AddRange(ContentSecurityPolicy.Shortfalls(headers.GetValueOrDefault("content-security-policy")).Select(p => $"{page}: {p}"));
        foreach (var (name, value) in new[] { ("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"), ("cache-control", "no-store") })
        {
            if (headers.GetValueOrDefault(name) != value)
            {
                problems.Add($"{page}: {name} is '{headers.GetValueOrDefault(name)}', not '{value}'");
            }
        }

        problems.AddRange((await InlineContent.FindAsync(browser)).Select(p => $"{page}: {p}"));
        var linked = await browser.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('script[src], link[rel=stylesheet]')].map(e => new URL(e.src || e.href).pathname)");
        assets.UnionWith(linked);
    }

    [GeneratedRegex(@"^/console/assets/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.(js|css)$")]
    private static partial Regex AssetPath();
}
