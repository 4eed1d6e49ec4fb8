using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (every model loaded, answered its probe, and its scheduler
/// loop is alive; false from the moment the daemon begins to stop, so a load balancer drains it).
/// </summary>
internal static class HealthEndpoints
{
    public static Ok<HealthStatus> Alive() => TypedResults.Ok(new HealthStatus("alive"));

    public static Results<Ok<HealthStatus>, ApiError> Ready(ModelRegistry registry, RequestDrain drain, TimeProvider time, IOptions<ApiOptions> options)
    {
        if (drain.IsDraining)
        {
            return ApiError.ModelNotReady("The daemon is shutting down.");
        }

        var now = time.GetUtcNow();
        var stale = registry.Models.Any(m =>
            m.Scheduler.Snapshot is var s && (s.Faulted || now - s.LastHeartbeat > options.Value.SchedulerStallLimit));
        if (!registry.IsReady || stale)
        {
            var reason = registry.IsReady ? "An inference scheduler is stalled or has stopped." : "The model is still loading.";
            return ApiError.ModelNotReady(reason);
        }

        return TypedResults.Ok(new HealthStatus("ready"));
    }
}
