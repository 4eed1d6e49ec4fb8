using System.Text;
using System.Text.Encodings.Web;
using EdgeLlm.Api.Authentication.Sessions;

namespace EdgeLlm.WebConsole.Pages;

/// <summary>
/// The frame of every page: the head (the session's anti-forgery token, the hashed script and style), the banner with
/// the signed-in key and the sign-out form, the navigation and the page's main content. Every dynamic value is
/// HTML-encoded here; page bodies are fixed markup that the script fills with text, never with HTML.
/// </summary>
internal static class PageLayout
{
    public static readonly IReadOnlyList<(string Title, string Path, string Page)> Navigation =
    [
        ("Overview", "/console", "overview"),
        ("Models", "/console/models", "models"),
        ("Playground", "/console/playground", "playground"),
        ("Updates", "/console/updates", "updates"),
        ("Collections", "/console/collections", "collections"),
        ("Keys", "/console/keys", "keys"),
        ("Audit", "/console/audit", "audit"),
        ("Policies", "/console/policies", "policies"),
    ];

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>A signed-in page: <paramref name="body"/> is the markup inside <c>main</c>, after its <c>h1</c>.</summary>
    public static string SignedIn(ConsoleAssets assets, BrowserSession session, string page, string heading, string body, string? data = null)
    {
        var html = new StringBuilder(4096);
        Head(html, assets, heading, session.CsrfToken);
        html.Append("<body data-page=\"").Append(page).Append('"');
        if (data is not null)
        {
            html.Append(" data-id=\"").Append(Html.Encode(data)).Append('"');
        }

        html.Append(">\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"banner\"><a class=\"brand\" href=\"/console\">")
            .Append("<img src=\"").Append(assets.Url("icon.svg")).Append("\" alt=\"\" width=\"24\" height=\"24\"> EdgeLlm</a>")
            .Append("<span class=\"who\">Signed in as <strong>").Append(Html.Encode(session.Key.Name)).Append("</strong> (tenant ")
            .Append(Html.Encode(session.Key.Tenant)).Append(")</span>")
            .Append("<form method=\"post\" action=\"/console/signout\"><input type=\"hidden\" name=\"csrf\" value=\"")
            .Append(Html.Encode(session.CsrfToken)).Append("\"><button type=\"submit\">Sign out</button></form></header>\n")
            .Append("<nav aria-label=\"Console\"><ul>");
        foreach (var (title, path, name) in Navigation)
        {
            html.Append("<li><a href=\"").Append(path).Append('"').Append(name == page || (page == "collection" && name == "collections") ? " aria-current=\"page\"" : "")
                .Append('>').Append(title).Append("</a></li>");
        }

        html.Append("</ul></nav>\n<main id=\"main\"><h1>").Append(Html.Encode(heading)).Append("</h1>\n")
            .Append("<p class=\"notice\" role=\"alert\" hidden></p>\n")
            .Append(body).Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The sign-in page, with <paramref name="refusal"/> shown as an alert when the last try failed.</summary>
    public static string SignIn(ConsoleAssets assets, string formToken, string? refusal)
    {
        var html = new StringBuilder(2048);
        Head(html, assets, "Sign in", csrfToken: null);
        html.Append("<body data-page=\"signin\">\n<header class=\"banner\"><span class=\"brand\"><img src=\"").Append(assets.Url("icon.svg"))
            .Append("\" alt=\"\" width=\"24\" height=\"24\"> EdgeLlm</span></header>\n<main id=\"main\" class=\"signin\"><h1>Sign in</h1>\n");
        if (refusal is not null)
        {
            html.Append("<p class=\"notice error\" role=\"alert\">").Append(Html.Encode(refusal)).Append("</p>\n");
        }

        html.Append("<form method=\"post\" action=\"/console/signin\" class=\"card\">")
            .Append("<input type=\"hidden\" name=\"csrf\" value=\"").Append(Html.Encode(formToken)).Append("\">")
            .Append("<label for=\"key\">Admin API key</label>")
            .Append("<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required maxlength=\"200\" spellcheck=\"false\">")
            .Append("<p class=\"hint\">A key with the admin scope, e.g. the one <code>edgellm keys create --scope admin</code> printed. It is exchanged for a session; the browser never keeps it.</p>")
            .Append("<button type=\"submit\">Sign in</button></form>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Head(StringBuilder html, ConsoleAssets assets, string title, string? csrfToken)
    {
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (csrfToken is not null)
        {
            html.Append("<meta name=\"csrf-token\" content=\"").Append(Html.Encode(csrfToken)).Append("\">\n");
        }

        html.Append("<title>").Append(Html.Encode(title)).Append(" · EdgeLlm console</title>\n")
            .Append("<link rel=\"icon\" href=\"").Append(assets.Url("icon.svg")).Append("\">\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(assets.Url("console.css")).Append("\">\n")
            .Append("<script src=\"").Append(assets.Url("console.js")).Append("\" defer></script>\n")
            .Append("<script src=\"").Append(assets.Url("pages.js")).Append("\" defer></script>\n")
            .Append("<script src=\"").Append(assets.Url("data-pages.js")).Append("\" defer></script>\n</head>\n");
    }
}
