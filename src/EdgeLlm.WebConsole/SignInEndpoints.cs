using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Authentication.Sessions;
using EdgeLlm.Api.Edge;
using EdgeLlm.WebConsole.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.WebConsole;

/// <summary>
/// Sign-in exchanges an admin-scope API key for a session cookie (the key itself is never stored in the browser);
/// sign-out ends the session on the server, so a copied cookie stops working at once. Both forms carry an
/// anti-forgery token: the sign-in form's in a short-lived cookie of its own (there is no session yet), the sign-out
/// form's the session's.
/// </summary>
internal static class SignInEndpoints
{
    public const string FormCookie = "edgellm_console_signin";
    private const int MaxFormBytes = 4096;
    private const string Refused = "The key was not accepted: it is unknown, revoked or expired, or it lacks the admin scope.";

    public static IResult Page(HttpContext context, ConsoleAssets assets) =>
        context.Items[BrowserSession.Item] is BrowserSession
            ? PageEndpoints.SeeOther("/console")
            : SignInPage(context, assets, StatusCodes.Status200OK, refusal: null);

    public static async Task<IResult> SignInAsync(HttpContext context, ConsoleAssets assets, ApiKeyStore keys, BrowserSessionStore sessions, AuditTrail trail, TimeProvider time, ILoggerFactory loggers)
    {
        var audit = loggers.CreateLogger(WebConsoleLog.AuditCategory);
        var remote = context.Connection.RemoteIpAddress;
        var form = await ReadFormAsync(context.Request);
        var formToken = context.Request.Cookies[FormCookie];
        string? key = null;
        var reason = form is null ? "not a sign-in form"
            : !OwnOrigin(context.Request) ? "foreign origin"
            : formToken is null || !RequestForgeryGuard.TokensEqual(form["csrf"].ToString(), formToken) ? "missing or wrong form token"
            : (key = form["key"].ToString().Trim()).Length == 0 ? "no key" : null;
        var info = reason is null ? keys.Authenticate(key) : null;
        if (reason is null && info is null)
        {
            reason = "key refused";
        }
        else if (info is not null && !info.Scopes.Contains(ApiScopes.Admin, StringComparer.Ordinal))
        {
            reason = "key lacks the admin scope";
        }

        if (reason is not null)
        {
            WebConsoleLog.SignInRefused(audit, remote, reason);
            trail.Record(new AuditEntry(time.GetUtcNow(), "signin_refused", info?.Id, info?.Tenant, "POST", "/console/signin", StatusCodes.Status401Unauthorized, reason, remote?.ToString()));
            return SignInPage(context, assets, StatusCodes.Status401Unauthorized, Refused);
        }

        var (cookie, session) = sessions.Open(info!);
        context.Response.Cookies.Append(BrowserSession.CookieName, cookie, SessionCookie(context.Request, session.EndsAt));
        context.Response.Cookies.Delete(FormCookie, new CookieOptions { Path = "/console" });
        WebConsoleLog.SignedIn(audit, info!.Id, info.Tenant, remote);
        trail.Record(new AuditEntry(time.GetUtcNow(), "signin", info.Id, info.Tenant, "POST", "/console/signin", StatusCodes.Status303SeeOther, null, remote?.ToString()));
        return PageEndpoints.SeeOther("/console");
    }

    public static async Task<IResult> SignOutAsync(HttpContext context, BrowserSessionStore sessions, AuditTrail trail, TimeProvider time, ILoggerFactory loggers)
    {
        if (context.Items[BrowserSession.Item] is BrowserSession session)
        {
            var form = await ReadFormAsync(context.Request);
            if (form is null || !OwnOrigin(context.Request) || !RequestForgeryGuard.TokensEqual(form["csrf"].ToString(), session.CsrfToken))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            sessions.End(context.Request.Cookies[BrowserSession.CookieName]);
            // Only a signed-in sign-out clears the cookie: a post from another site (which carries no cookie) must
            // not be able to sign the browser out.
            context.Response.Cookies.Delete(BrowserSession.CookieName, new CookieOptions { Path = "/" });
            WebConsoleLog.SignedOut(loggers.CreateLogger(WebConsoleLog.AuditCategory), session.Key.Id, context.Connection.RemoteIpAddress);
            trail.Record(new AuditEntry(time.GetUtcNow(), "signout", session.Key.Id, session.Key.Tenant, "POST", "/console/signout", StatusCodes.Status303SeeOther, null, context.Connection.RemoteIpAddress?.ToString()));
        }

        return PageEndpoints.SeeOther("/console/signin");
    }

    private static IResult SignInPage(HttpContext context, ConsoleAssets assets, int status, string? refusal)
    {
        var token = BrowserSessionStore.NewToken();
        context.Response.Cookies.Append(FormCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/console",
            MaxAge = TimeSpan.FromMinutes(30),
        });
        return Results.Content(PageLayout.SignIn(assets, token, refusal), "text/html; charset=utf-8", statusCode: status);
    }

    internal static CookieOptions SessionCookie(HttpRequest request, DateTimeOffset endsAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        Expires = endsAt,
        IsEssential = true,
    };

    /// <summary>
    /// The page's own origin, or none. Under the pages' <c>Referrer-Policy: no-referrer</c> a browser sends
    /// <c>Origin: null</c> with a form post, which says nothing either way: the form's token decides then.
    /// </summary>
    private static bool OwnOrigin(HttpRequest request) =>
        request.Headers.Origin is not { Count: > 0 } origin || origin.ToString() == "null" || RequestForgeryGuard.IsOwnOrigin(origin.ToString(), request);

    /// <summary>The posted form, or null when the body is not a small url-encoded form.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || request.ContentLength is null or > MaxFormBytes)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxFormBytes, ValueCountLimit = 8, MultipartBodyLengthLimit = MaxFormBytes }, request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
