namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>axe-core on every console page once its data has loaded: no serious or critical finding.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAccessibilityTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task EveryPageHasNoSeriousOrCriticalAxeFinding()
    {
        await daemon.SeedAsync();
        await using var tab = await chromium.OpenAsync(daemon.Address);
        var findings = new List<string>();

        await ConsolePages.SignIn.VisitAsync(tab.Page);
        findings.AddRange(await AxeFindings.SeriousOrCriticalAsync(tab.Page, ConsolePages.SignIn.Path));
        await tab.SignInAsync(daemon.SignInKey);
        foreach (var page in ConsolePages.SignedIn(ConsoleDaemon.SeededCollection, ConsoleDaemon.SeededDocumentTitle))
        {
            await page.VisitAsync(tab.Page);
            findings.AddRange(await AxeFindings.SeriousOrCriticalAsync(tab.Page, page.Path));
        }

        Assert.True(findings.Count == 0, string.Join('\n', findings));
        Assert.Empty(tab.PolicyViolations);
    }
}
