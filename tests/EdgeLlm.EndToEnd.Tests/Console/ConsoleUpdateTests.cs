using EdgeLlm.EndToEnd.Tests.Updates;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>A signed bundle chosen in the browser's file picker, uploaded from the Updates page, installed by the daemon.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleUpdateTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    // Verify, stage, probe (load stories260K, generate a few tokens) and switch: seconds; this stops a hang.
    private const float InstallTimeoutMilliseconds = 120_000;

    [Fact]
    public async Task ASignedBundleUploadedFromTheUpdatesPageIsInstalledAndListed()
    {
        var bundle = await daemon.SignedBundleAsync(sequence: 1);
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var page = tab.Page;
        await page.GotoAsync("/console/updates");

        var upload = page.GetByRole(AriaRole.Button, new() { Name = "Upload bundle", Exact = true });

        await page.GetByLabel("Bundle", new() { Exact = true }).SetInputFilesAsync(bundle);
        await upload.ClickAsync();

        // The outcome is the status beside the upload (the page has another, for Check now).
        var outcome = page.Locator("form").Filter(new() { Has = upload }).GetByRole(AriaRole.Status);
        await Expect(outcome).ToContainTextAsync("installed", new() { Timeout = InstallTimeoutMilliseconds });
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Upload progress", Exact = true })).ToHaveCountAsync(1);
        var installed = page.GetByRole(AriaRole.Table, new() { Name = "Installed versions", Exact = true });
        await Expect(installed.GetByRole(AriaRole.Row).Filter(new() { HasText = ConsoleDaemon.ModelName })).ToContainTextAsync("stable-1");
        Assert.Equal("stable-1", UpdatingDaemon.ActiveVersion(await daemon.Daemon.StatusAsync()));
        Assert.Empty(tab.PolicyViolations);
    }
}
