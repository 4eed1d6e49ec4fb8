using Microsoft.Playwright;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// One browser context with one page, and every Content-Security-Policy violation chromium reported on it. Chromium
/// writes each refusal ("Refused to execute inline script because it violates the following Content Security Policy
/// directive …") to the page's console as an error, which Playwright passes on.
/// </summary>
public sealed class BrowserTab : IAsyncDisposable
{
    private readonly List<string> _violations = [];

    private BrowserTab(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) => Record(message);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The console messages so far that report a Content-Security-Policy violation.</summary>
    public IReadOnlyList<string> PolicyViolations
    {
        get
        {
            lock (_violations)
            {
                return [.. _violations];
            }
        }
    }

    public static async Task<BrowserTab> OpenAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private void Record(IConsoleMessage message)
    {
        if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
        {
            lock (_violations)
            {
                _violations.Add($"{message.Type} at {message.Location}: {message.Text}");
            }
        }
    }
}
