using Microsoft.Playwright;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// The overview as the README shows it: a screenshot taken once the page has its data. With
/// <c>EDGELLM_CONSOLE_SCREENSHOT</c> naming a path (<c>scripts/console-screenshot.sh</c> names docs/console-overview.png)
/// the test also writes it there; otherwise it writes only to its own scratch folder.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleOverviewScreenshotTests(HeadlessChromium chromium, ConsoleDaemon daemon)
{
    public const string TargetVariable = "EDGELLM_CONSOLE_SCREENSHOT";

    // Small enough to commit and to keep in the README.
    private const int MaxBytes = 150 * 1024;

    [Fact]
    public async Task TheOverviewScreenshotIsASmallPngWithThePageDrawnOnIt()
    {
        await using var tab = await chromium.OpenAsync(daemon.Address);
        await tab.SignInAsync(daemon.SignInKey);
        await ConsolePages.Overview.VisitAsync(tab.Page);
        var scratch = Directory.CreateTempSubdirectory("edgellm-console-").FullName;
        try
        {
            var file = Path.Combine(scratch, "console-overview.png");

            var png = await tab.Page.ScreenshotAsync(new() { Path = file, Type = ScreenshotType.Png });

            Assert.True(png.Length <= MaxBytes, $"The screenshot is {png.Length} bytes, over {MaxBytes}.");
            Screenshot.AssertDrawn(await File.ReadAllBytesAsync(file), HeadlessChromium.Viewport.Width, HeadlessChromium.Viewport.Height);
            if (Environment.GetEnvironmentVariable(TargetVariable) is { Length: > 0 } target)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
                File.Copy(file, target, overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
