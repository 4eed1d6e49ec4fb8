using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>A collection made, filled and searched from the console's pages.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleCollectionTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    // Ingesting one short manual with stories260K takes seconds; this stops a hang on a busy machine.
    private const float IngestTimeoutMilliseconds = 90_000;

    private const string Manual = "press-maintenance-manual.md";

    [Fact]
    public async Task AnUploadedDocumentBecomesReadyAndSearchFindsItsPhraseWithAScoreAndACitation()
    {
        var name = "manuals-" + Guid.NewGuid().ToString("N")[..8];
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        var page = tab.Page;
        await page.GotoAsync("/console/collections");

        await page.GetByLabel("Collection name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create collection", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Table, new() { Name = "Collections", Exact = true }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{daemon.Address}console/collections/{name}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);

        await page.GetByLabel("Documents", new() { Exact = true }).SetInputFilesAsync(Path.Combine(ConsoleDaemon.FixturesFolder, Manual));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Documents", Exact = true }).GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = ManualName() });
        await Expect(row).ToContainTextAsync("ready", new() { Timeout = IngestTimeoutMilliseconds });

        // The maintenance lead's name is in this manual only (see the fixtures' README).
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("Ingrid Solberg");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        var hit = page.GetByRole(AriaRole.List, new() { Name = "Search results", Exact = true }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Ingrid Solberg" }).First;
        await Expect(hit).ToContainTextAsync(ManualName());
        await Expect(hit).ToContainTextAsync(Score());
        Assert.Empty(tab.PolicyViolations);
    }

    /// <summary>The manual as the console may name it: by the title the daemon read from it, or by its file name.</summary>
    [GeneratedRegex(@"HP-4200 Hydraulic Press Maintenance Manual|press-maintenance-manual\.md")]
    private static partial Regex ManualName();

    [GeneratedRegex(@"score \d+(\.\d+)?")]
    private static partial Regex Score();
}
