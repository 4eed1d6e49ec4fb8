using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace EdgeLlm.Api.Endpoints;

/// <summary>The probes for systemd, containers and load balancers: open, and never rate-limited.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthEndpoints.Alive).AllowAnonymous();
        app.MapGet("/readyz", HealthEndpoints.Ready).AllowAnonymous();
        return app;
    }
}
