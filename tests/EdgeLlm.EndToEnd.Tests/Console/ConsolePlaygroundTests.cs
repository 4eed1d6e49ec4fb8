using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>The playground: a prompt typed into the page is answered by the real model, streamed into the page.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsolePlaygroundTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    [Fact]
    public async Task GenerateFillsTheAnswerWithTextAndThenShowsTheUsage()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        await tab.Page.GotoAsync("/console/playground");
        var page = tab.Page;
        await page.GetByLabel("Model", new() { Exact = true }).SelectOptionAsync(ConsoleDaemon.ModelName);
        await page.GetByLabel("Prompt", new() { Exact = true }).FillAsync("Once upon a time");
        await page.GetByLabel("Max tokens", new() { Exact = true }).FillAsync("24");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();

        await Expect(page.GetByLabel("Usage", new() { Exact = true })).ToContainTextAsync(Digits());
        // The <output> (role status) named Answer, not the section its heading names alike.
        var answer = await page.GetByRole(AriaRole.Status, new() { Name = "Answer", Exact = true }).TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(answer), "The usage appeared but the answer is empty.");
        Assert.Empty(tab.PolicyViolations);
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
