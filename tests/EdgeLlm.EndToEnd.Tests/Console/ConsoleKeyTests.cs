using System.Net;
using System.Text.RegularExpressions;
using EdgeLlm.EndToEnd.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>A key made on the Keys page works for the API at once, its secret is shown only then, and revoking it stops it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleKeyTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task ACreatedKeysSecretIsShownOnceAndAuthenticatesUntilTheKeyIsRevoked()
    {
        var name = "browser-" + Guid.NewGuid().ToString("N")[..8];
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var page = tab.Page;
        await page.GotoAsync("/console/keys");

        await page.GetByLabel("Key name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Tenant", new() { Exact = true }).FillAsync(ConsoleDaemon.Tenant);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "inference", Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key", Exact = true }).ClickAsync();

        var shown = page.GetByLabel("New key secret", new() { Exact = true });
        await Expect(shown).ToHaveTextAsync(Secret());
        var secret = (await shown.TextContentAsync())!.Trim();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Keys", Exact = true })).ToContainTextAsync(name);
        using var client = daemon.WithKey(secret);
        using (var models = await client.GetAsync(new Uri("/v1/models", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        }

        // Once: the page shown again, and the API's list, no longer hold the secret.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Keys", Exact = true })).ToContainTextAsync(name);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        using var admin = daemon.WithKey(daemon.SignInKey);
        Assert.DoesNotContain(secret, await admin.GetStringAsync(new Uri("/admin/keys", UriKind.Relative)), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}", Exact = true }).ClickAsync();

        await Poll.Until(async () =>
        {
            using var refused = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
            return refused.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(15));
        Assert.Empty(tab.PolicyViolations);
    }

    [GeneratedRegex(@"^\s*ellm_\S+\s*$")]
    private static partial Regex Secret();
}
