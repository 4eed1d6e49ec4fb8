using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// A console page and what shows that its live data has arrived from the admin API, so a check of the page sees it
/// as a person does rather than its empty frame.
/// </summary>
internal sealed record ConsolePage(string Path, string Heading, Func<IPage, Task> DataLoadedAsync)
{
    public override string ToString() => Path;

    /// <summary>Opens the page, checks its one heading, and waits for its data and for the network to fall quiet.</summary>
    public async Task<IResponse> VisitAsync(IPage page)
    {
        var response = await page.GotoAsync(Path) ?? throw new Xunit.Sdk.XunitException($"GET {Path} got no response.");
        Assert.True(response.Status == 200, $"GET {Path}: {response.Status}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading);
        await DataLoadedAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return response;
    }
}

/// <summary>Every page of the console (contract: its navigation), as the browser tests walk them.</summary>
internal static class ConsolePages
{
    public static readonly ConsolePage SignIn = new("/console/signin", "Sign in", page => Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync());

    public static readonly ConsolePage Overview = new("/console", "Overview", async page =>
    {
        await Expect(Table(page, "Models")).ToContainTextAsync("loaded");

        // The rates need a second sample (the page polls every 2 s); until then a figure shows a placeholder.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('dl dd')].every(d => d.textContent.trim() && d.textContent.trim() !== '…')");
    });

    /// <summary>The pages of a signed-in session, <paramref name="collection"/>'s page among them (a collection holding a document the console lists as <paramref name="document"/>).</summary>
    public static IReadOnlyList<ConsolePage> SignedIn(string collection, string document) =>
    [
        Overview,
        new("/console/models", "Models", page => Expect(Table(page, "Models")).ToContainTextAsync(ConsoleDaemon.ModelName)),
        new("/console/playground", "Playground", page => Expect(page.GetByLabel("Model", new() { Exact = true })).ToContainTextAsync(ConsoleDaemon.ModelName)),
        new("/console/updates", "Updates", page => Expect(Table(page, "Installed versions")).ToBeVisibleAsync()),
        new("/console/collections", "Collections", page => Expect(Table(page, "Collections")).ToContainTextAsync(collection)),
        new($"/console/collections/{collection}", collection, page => Expect(Table(page, "Documents")).ToContainTextAsync(document)),
        new("/console/keys", "Keys", page => Expect(Table(page, "Keys")).ToContainTextAsync(ConsoleDaemon.SignInKeyName)),
        new("/console/audit", "Audit", page => Expect(Table(page, "Audit trail")).ToContainTextAsync("/admin/")),
        new("/console/policies", "Policies", page => Expect(Table(page, "Policies")).ToBeVisibleAsync()),
    ];

    private static ILocator Table(IPage page, string caption) => page.GetByRole(AriaRole.Table, new() { Name = caption, Exact = true });
}
