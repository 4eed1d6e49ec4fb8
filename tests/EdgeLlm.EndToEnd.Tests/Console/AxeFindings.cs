using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// axe-core (through Deque.AxeCore.Playwright, which evaluates the vendored axe script in the page over the browser's
/// debugging protocol, so the page's own policy does not stop it) run on the page as shown.
/// </summary>
internal static class AxeFindings
{
    private static readonly HashSet<string> Blocking = new(StringComparer.Ordinal) { "serious", "critical" };

    /// <summary>Each serious or critical finding on the page: rule id, impact, and the elements it names.</summary>
    public static async Task<IReadOnlyList<string>> SeriousOrCriticalAsync(IPage page, string name)
    {
        AxeResult result = await page.RunAxe();
        return
        [
            .. result.Violations
                .Where(v => v.Impact is not null && Blocking.Contains(v.Impact))
                .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}"),
        ];
    }
}
