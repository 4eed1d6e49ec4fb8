using System.Security.Cryptography;
using System.Text;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Authentication.Sessions;

/// <summary>
/// A state-changing request authenticated by the console's cookie must prove it came from the console's own page:
/// it carries the session's anti-forgery token in <see cref="BrowserSession.CsrfHeader"/>, and an <c>Origin</c>, when
/// sent, equal to this daemon's. SameSite=Strict already keeps the cookie off cross-site requests; this holds even
/// for a browser that ignores it. Requests with a Bearer key are not cookie-borne and pass untouched.
/// </summary>
public sealed class RequestForgeryGuard(RequestDelegate next, ILogger<RequestForgeryGuard> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Items[BrowserSession.Item] is not BrowserSession session || IsSafe(context.Request.Method)
            // The console's own forms check their token themselves (it comes in the form, not a header).
            || context.Request.Path.StartsWithSegments("/console", StringComparison.Ordinal))
        {
            return next(context);
        }

        var reason = Refusal(context.Request, session);
        if (reason is null)
        {
            return next(context);
        }

        AuthenticationLog.RequestForgeryRefused(logger, context.Request.Method, context.Request.Path.Value ?? "", session.Key.Id, reason);
        return new ApiError(StatusCodes.Status403Forbidden, ErrorCodes.CsrfTokenInvalid,
            "A state-changing request by a console session needs the page's anti-forgery token (X-CSRF-Token) and this daemon's origin.").ExecuteAsync(context);
    }

    /// <summary>Why the request is refused, or null when it proves its origin.</summary>
    public static string? Refusal(HttpRequest request, BrowserSession session)
    {
        if (request.Headers.Origin is { Count: > 0 } origin && !IsOwnOrigin(origin.ToString(), request))
        {
            return "foreign origin";
        }

        var token = request.Headers[BrowserSession.CsrfHeader];
        return token.Count == 1 && TokensEqual(token[0], session.CsrfToken) ? null : "missing or wrong anti-forgery token";
    }

    /// <summary>Whether <paramref name="origin"/> is the scheme and host the request came to.</summary>
    public static bool IsOwnOrigin(string origin, HttpRequest request) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);

    public static bool TokensEqual(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
