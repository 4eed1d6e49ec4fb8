using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Edge;
using EdgeLlm.Api.Endpoints.Admin;
using EdgeLlm.Api.Endpoints.Retrieval;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Inference.Models;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Ingestion;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using EdgeLlm.Telemetry;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Api;

public static class ApiHostingExtensions
{
    /// <summary>
    /// Registers the LAN API: options, request limits, the central error handler, API-key authentication, and
    /// the served model as retrieval's embedding generator and token counter (the host adds retrieval itself).
    /// </summary>
    public static IServiceCollection AddEdgeLlmApi(this IServiceCollection services, Action<ApiOptions>? configure = null)
    {
        var builder = services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.AddEdgeProtection();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationDefaults.AuthenticationScheme)
            .BindConfiguration(ApiKeyAuthenticationOptions.SectionName);
        services.AddEdgeLlmApiKeyAuthentication();

        // Retrieval embeds with a served model: its generator and tokenizer are retrieval's seams.
        services.AddOptions<RetrievalOptions>()
            .Validate<IOptions<InferenceOptions>>(
                (retrieval, inference) => retrieval.EmbeddingModel is null || inference.Value.Models.Any(m => m.EffectiveName == retrieval.EmbeddingModel),
                "Retrieval:EmbeddingModel must name one of Inference:Models.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new ModelEmbeddingGenerator(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<IOptions<RetrievalOptions>>().Value.EmbeddingModel));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<ModelEmbeddingGenerator>());
        services.TryAddSingleton<ITokenCounter>(sp => new ModelTokenCounter(sp.GetRequiredService<ModelEmbeddingGenerator>()));
        services.AddSingleton<RetrievalQueries>();
        services.AddSingleton<ChatGrounding>();
        services.AddHostedService<ModelActivationReporter>();
        services.AddSingleton<UpdateTelemetryBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<UpdateTelemetryBridge>());
        services.TryAddSingleton<IUpdateCheckTrigger>(sp => sp.GetRequiredService<UpdateTelemetryBridge>());
        return services;
    }

    /// <summary>Maps every route. Only <c>/healthz</c> and <c>/readyz</c> are open; the rest need an API key with the right scope.</summary>
    public static WebApplication MapEdgeLlmApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var authentication = app.Services.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>().Get(ApiKeyAuthenticationDefaults.AuthenticationScheme);
        if (!authentication.Enabled)
        {
            AuthenticationLog.AuthenticationDisabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ApiLogCategory>(), ApiKeyAuthenticationDefaults.DevelopmentTenant);
        }

        app.UseEdgeProtection();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => ApiErrorWriter.WriteAsync(
            context.HttpContext,
            context.HttpContext.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
                ? new ApiError(405, ErrorCodes.InvalidRequest, "This method is not allowed on this route.")
                : new ApiError(context.HttpContext.Response.StatusCode, ErrorCodes.NotFound, "No such route.")));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapGet("/healthz", HealthEndpoints.Alive).AllowAnonymous();
        app.MapGet("/readyz", HealthEndpoints.ReadyAsync).AllowAnonymous();

        var v1 = app.MapGroup("/v1").RequireAuthorization(ApiScopes.Inference);
        v1.MapGet("/models", ModelsEndpoint.List);
        v1.MapGet("/models/{id}", ModelsEndpoint.GetAsync);
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapPost("/completions", CompletionsEndpoint.HandleAsync);
        v1.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
        MapRetrieval(app.MapGroup("/v1/collections"));

        var admin = app.MapGroup("/admin").RequireAuthorization(ApiScopes.Admin);
        admin.MapGet("/updates", UpdatesEndpoints.Status);
        admin.MapPost("/updates", UpdatesEndpoints.UploadAsync);
        admin.MapPost("/updates/check", UpdatesEndpoints.CheckAsync);
        admin.MapPost("/models/{name}/rollback", ModelsAdminEndpoints.RollBackAsync);
        // Present whenever the host added telemetry (the daemon always does). /metrics is open like the probes:
        // scrapers rarely carry keys, and it holds counts, never text or keys.
        if (app.Services.GetService<OutboxStore>() is not null)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
            app.MapGet("/admin/status", AdminStatusEndpoint.Get).RequireAuthorization(ApiScopes.Admin);
        }

        return app;
    }

    private static void MapRetrieval(RouteGroupBuilder collections)
    {
        collections.MapPost("", CollectionsEndpoints.CreateAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapGet("", CollectionsEndpoints.ListAsync).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapGet("/{collection}", CollectionsEndpoints.GetAsync).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapDelete("/{collection}", CollectionsEndpoints.DeleteAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapPost("/{collection}/documents", DocumentsEndpoints.UploadAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapGet("/{collection}/documents", DocumentsEndpoints.ListAsync).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapGet("/{collection}/documents/{document}", DocumentsEndpoints.GetAsync).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapDelete("/{collection}/documents/{document}", DocumentsEndpoints.DeleteAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapGet("/{collection}/jobs/{job}", DocumentsEndpoints.GetJobAsync).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapPost("/{collection}/search", SearchEndpoint.HandleAsync).RequireAuthorization(ApiScopes.Inference);
    }
}
