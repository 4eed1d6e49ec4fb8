using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Edge;

/// <summary>
/// Refuses requests addressed to a host name the operator did not list (<c>Api:AllowedHosts</c>) with 421: a web
/// page on another site cannot reach the appliance by pointing its own DNS name at the appliance's address
/// (DNS rebinding), because the browser still sends that name in <c>Host</c>.
/// </summary>
internal sealed class HostAllowList(RequestDelegate next, IOptions<ApiOptions> options)
{
    private readonly string[] _allowed = [.. options.Value.AllowedHosts.Select(h => h.Trim().ToLowerInvariant())];

    public async Task InvokeAsync(HttpContext context)
    {
        if (Allows(_allowed, context.Request.Host.Host))
        {
            await next(context);
            return;
        }

        await new ApiError(StatusCodes.Status421MisdirectedRequest, ErrorCodes.HostNotAllowed,
            "This appliance does not answer to that host name; the operator lists its names in Api:AllowedHosts.").ExecuteAsync(context);
    }

    internal static bool Allows(IReadOnlyList<string> allowed, string host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var name = host.ToLowerInvariant();
        foreach (var entry in allowed)
        {
            if (entry == "*" || entry == name || (entry.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(entry[1..], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
