using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Lifecycle;

/// <summary>
/// Counts each request in flight for <see cref="RequestDrain"/>; while the daemon stops, answers a new one at once with
/// 503 <c>model_not_ready</c> and <c>Retry-After</c> (and <c>Connection: close</c>, so the client reconnects elsewhere)
/// instead of leaving it unanswered. The probes and <c>/metrics</c> go on as always.
/// </summary>
internal sealed class DrainMiddleware(RequestDrain drain, RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsProbe(context.Request.Path))
        {
            await next(context);
            return;
        }

        if (drain.IsDraining)
        {
            context.Response.Headers.Connection = "close";
            await ApiError.ModelNotReady("The daemon is shutting down; retry on another device or once it is back.").ExecuteAsync(context);
            return;
        }

        drain.Enter();
        try
        {
            await next(context);
        }
        finally
        {
            drain.Exit();
        }
    }

    private static bool IsProbe(PathString path) =>
        path.Equals("/healthz", StringComparison.Ordinal) || path.Equals("/readyz", StringComparison.Ordinal) || path.Equals("/metrics", StringComparison.Ordinal);
}
