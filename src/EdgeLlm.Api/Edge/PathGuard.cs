using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeLlm.Api.Edge;

/// <summary>
/// Refuses, before routing, a request target whose path has a dot segment (<c>.</c>, <c>..</c>, also percent-encoded
/// as <c>%2E</c>), an encoded <c>/</c> or <c>\</c>, a backslash or a NUL in a segment, with 400 <c>invalid_path</c>.
/// Kestrel decodes <c>%2E</c> and then removes dot segments, so <c>DELETE /v1/collections/x/documents/%2E%2E</c>
/// would otherwise reach the route that deletes collection <c>x</c>; an encoded slash would smuggle a separator
/// into a route value. The check reads the raw target, as the client sent it.
/// </summary>
internal sealed class PathGuard(RequestDelegate next)
{
    private static readonly ApiError Refusal = new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPath,
        "The path has a dot segment, an encoded '/' or '\\', or a NUL; address resources by their ids.");

    private static readonly string[] EncodedSeparators = ["%2f", "%5c", "%00"];

    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { } raw && IsRefused(raw)
            ? Refusal.ExecuteAsync(context)
            : next(context);

    /// <summary>True when the path of <paramref name="rawTarget"/> (origin or absolute form) holds a segment that could change or smuggle the target.</summary>
    internal static bool IsRefused(string rawTarget)
    {
        var path = PathOf(rawTarget);
        foreach (var segment in path.Split('/'))
        {
            if (segment.Contains('\\', StringComparison.Ordinal) || segment.Contains('\0', StringComparison.Ordinal)
                || EncodedSeparators.Any(e => segment.Contains(e, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase) is "." or "..")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path of an origin-form (<c>/a/b?q</c>) or absolute-form (<c>http://host/a/b</c>) target, without query or fragment.</summary>
    private static string PathOf(string rawTarget)
    {
        var start = 0;
        if (!rawTarget.StartsWith('/'))
        {
            var scheme = rawTarget.IndexOf("://", StringComparison.Ordinal);
            start = scheme < 0 ? rawTarget.Length : rawTarget.IndexOf('/', scheme + 3) is var slash and >= 0 ? slash : rawTarget.Length;
        }

        var end = rawTarget.IndexOfAny(['?', '#'], start);
        return rawTarget[start..(end < 0 ? rawTarget.Length : end)];
    }
}
