using System.Buffers;
using EdgeLlm.Api.Authentication.Sessions;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.WebConsole.Pages;

/// <summary>
/// The console's pages. Each is a fixed frame for the signed-in session; what it shows is read by the page's script
/// from the admin API, the same routes scripts use. Without a live session every page sends the browser to sign in.
/// </summary>
internal static class PageEndpoints
{
    private static readonly SearchValues<char> NameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static IResult Overview(HttpContext context, ConsoleAssets assets) => Page(context, assets, "overview", "Overview", PageBodies.Overview);

    public static IResult Models(HttpContext context, ConsoleAssets assets) => Page(context, assets, "models", "Models", PageBodies.Models);

    public static IResult Playground(HttpContext context, ConsoleAssets assets) => Page(context, assets, "playground", "Playground", PageBodies.Playground);

    public static IResult Updates(HttpContext context, ConsoleAssets assets) => Page(context, assets, "updates", "Updates", PageBodies.Updates);

    public static IResult Collections(HttpContext context, ConsoleAssets assets) => Page(context, assets, "collections", "Collections", PageBodies.Collections);

    public static IResult Keys(HttpContext context, ConsoleAssets assets) => Page(context, assets, "keys", "Keys", PageBodies.Keys);

    public static IResult Audit(HttpContext context, ConsoleAssets assets) => Page(context, assets, "audit", "Audit", PageBodies.Audit);

    public static IResult Policies(HttpContext context, ConsoleAssets assets) => Page(context, assets, "policies", "Policies", PageBodies.Policies);

    /// <summary>One collection: its documents, uploads and search. The name is checked here; whether the tenant has it, the page's API calls say.</summary>
    public static IResult Collection(string name, HttpContext context, ConsoleAssets assets) =>
        name.Length is 0 or > 64 || name.AsSpan().ContainsAnyExcept(NameChars)
            ? Results.NotFound()
            : Page(context, assets, "collection", name, PageBodies.Collection, data: name);

    private static IResult Page(HttpContext context, ConsoleAssets assets, string page, string heading, string body, string? data = null) =>
        context.Items[BrowserSession.Item] is BrowserSession session
            ? Results.Content(PageLayout.SignedIn(assets, session, page, heading, body, data), "text/html; charset=utf-8")
            : SeeOther("/console/signin");

    /// <summary>A 303, so a browser follows with GET whatever it sent.</summary>
    internal static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
