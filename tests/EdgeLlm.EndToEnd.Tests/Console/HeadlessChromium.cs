using Microsoft.Playwright;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// Debian's <c>chromium</c> (the package <c>scripts/test.sh</c> installs), started headless once and steered by
/// Playwright's driver, which the Microsoft.Playwright package ships and the build copies to the test output. No
/// browser is ever downloaded: the executable is named, so Playwright never looks for one of its own. A missing
/// chromium fails every test that needs it, with the reason.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The window every context gets: the size the README's screenshot is taken at.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 800 };

    // Pages fill from the admin API after load and the overview polls every 2 s; on a busy 2-core machine
    // Playwright's 5 s default for an expectation is too short to tell slow from broken.
    private const float ExpectTimeoutMilliseconds = 30_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Debian's chromium is not installed at {ExecutablePath}; the console's browser tests drive it (apt-get install chromium, as scripts/test.sh does).");
        }

        Assertions.SetDefaultExpectTimeout(ExpectTimeoutMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,

            // The tests run as root, where chromium refuses its sandbox; a container's /dev/shm is often 64 MiB.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh context (no cookies, no storage) with one page, its relative URLs resolved against <paramref name="baseAddress"/>.</summary>
    public async Task<BrowserTab> OpenAsync(Uri? baseAddress = null)
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser is not started.");
        var context = await browser.NewContextAsync(new() { BaseURL = baseAddress?.ToString(), ViewportSize = Viewport });
        return await BrowserTab.OpenAsync(context);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
