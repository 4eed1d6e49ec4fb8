using Microsoft.Playwright;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// What a strict Content-Security-Policy forbids a page to carry, read from its live DOM (after its script ran):
/// script bodies, event-handler attributes, <c>style</c> elements and attributes, and <c>javascript:</c> URLs.
/// </summary>
internal static class InlineContent
{
    // One pass over every element; each finding names the element so a failure says where to look.
    private const string FindScript = """
        () => {
          const found = [];
          for (const e of document.querySelectorAll('*')) {
            const tag = e.tagName.toLowerCase();
            if (tag === 'script' && !e.hasAttribute('src')) found.push('inline <script>: ' + e.textContent.slice(0, 80));
            if (tag === 'style') found.push('<style> element: ' + e.textContent.slice(0, 80));
            for (const a of e.attributes) {
              const name = a.name.toLowerCase();
              if (name.startsWith('on')) found.push('<' + tag + ' ' + name + '="' + a.value.slice(0, 60) + '">');
              if (name === 'style') found.push('<' + tag + ' style="' + a.value.slice(0, 60) + '">');
              if ((name === 'href' || name === 'src' || name === 'action' || name === 'formaction') && a.value.trim().toLowerCase().startsWith('javascript:'))
                found.push('<' + tag + ' ' + name + '="' + a.value.slice(0, 60) + '">');
            }
          }
          return found;
        }
        """;

    /// <summary>Each inline script or style on the page, described; empty when there is none.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(IPage page) => await page.EvaluateAsync<string[]>(FindScript);
}
