using EdgeLlm.Api.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>/admin</c> (admin scope): updates, model load, unload and rollback, policy rollback, API keys, the recent audit trail, canary rollouts of models and policies, the daemon's status; and the open <c>/metrics</c> scrape.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(ApiScopes.Admin);
        admin.MapGet("/updates", UpdatesEndpoints.Status);
        admin.MapPost("/updates", UpdatesEndpoints.UploadAsync);
        admin.MapPost("/updates/check", UpdatesEndpoints.CheckAsync);
        admin.MapPost("/models/{name}/rollback", ModelsAdminEndpoints.RollBackAsync);
        admin.MapPost("/models/{name}/load", ModelsAdminEndpoints.LoadAsync);
        admin.MapPost("/models/{name}/unload", ModelsAdminEndpoints.UnloadAsync);
        admin.MapPost("/policies/{name}/rollback", PoliciesAdminEndpoints.RollBackAsync);
        admin.MapPost("/policies/{name}/rollout", PolicyRolloutsEndpoints.StartAsync);
        admin.MapPost("/policies/{name}/rollout/pause", PolicyRolloutsEndpoints.PauseAsync);
        admin.MapPost("/policies/{name}/rollout/resume", PolicyRolloutsEndpoints.ResumeAsync);
        admin.MapPost("/policies/{name}/rollout/promote", PolicyRolloutsEndpoints.PromoteAsync);
        admin.MapPost("/policies/{name}/rollout/abort", PolicyRolloutsEndpoints.AbortAsync);
        admin.MapGet("/rollouts", RolloutsEndpoints.List);
        admin.MapPost("/rollouts", RolloutsEndpoints.StartAsync);
        admin.MapPost("/rollouts/{model}/pause", RolloutsEndpoints.PauseAsync);
        admin.MapPost("/rollouts/{model}/resume", RolloutsEndpoints.ResumeAsync);
        admin.MapPost("/rollouts/{model}/promote", RolloutsEndpoints.PromoteAsync);
        admin.MapPost("/rollouts/{model}/abort", RolloutsEndpoints.AbortAsync);
        admin.MapGet("/status", AdminStatusEndpoint.Get);
        admin.MapGet("/keys", KeysAdminEndpoints.List);
        admin.MapPost("/keys", KeysAdminEndpoints.CreateAsync);
        admin.MapDelete("/keys/{id}", KeysAdminEndpoints.Revoke);
        admin.MapGet("/audit", AuditEndpoints.List);

        // Open like the probes: scrapers rarely carry keys, and it holds counts, never text or keys.
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        return app;
    }
}
