using Microsoft.AspNetCore.Http;

namespace EdgeLlm.WebConsole;

/// <summary>
/// The headers every console response carries: a Content-Security-Policy that allows only the daemon's own script,
/// style and connections (no inline script or style, no eval, no framing), no MIME sniffing, no referrer, and pages
/// that are never cached (they carry the session's anti-forgery token).
/// </summary>
internal static class ConsoleHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task Apply(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/console", StringComparison.Ordinal))
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.CacheControl = "no-store";
        }

        return next();
    }
}
