using EdgeLlm.Api.Authentication;
using EdgeLlm.Telemetry.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>/admin</c> (admin scope): updates, model rollback, the daemon's status; and the open <c>/metrics</c> scrape.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(ApiScopes.Admin);
        admin.MapGet("/updates", UpdatesEndpoints.Status);
        admin.MapPost("/updates", UpdatesEndpoints.UploadAsync);
        admin.MapPost("/updates/check", UpdatesEndpoints.CheckAsync);
        admin.MapPost("/models/{name}/rollback", ModelsAdminEndpoints.RollBackAsync);

        // Present whenever the host added telemetry (the daemon always does). /metrics is open like the probes:
        // scrapers rarely carry keys, and it holds counts, never text or keys.
        if (app.ServiceProvider.GetService<OutboxStore>() is not null)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
            admin.MapGet("/status", AdminStatusEndpoint.Get);
        }

        return app;
    }
}
