using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Authentication.Sessions;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Edge;
using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Endpoints.Admin;
using EdgeLlm.Api.Endpoints.Ollama;
using EdgeLlm.Api.Endpoints.Retrieval;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Guarding;
using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Inference.Models;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Routing.Classification;
using EdgeLlm.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api;

public static class ApiHostingExtensions
{
    /// <summary>
    /// Registers the LAN API: options, request limits, the central error handler and API-key authentication. The host
    /// adds the parts it serves (inference, retrieval with its embedding seam, updates, telemetry) and the
    /// <c>StateDatabase</c> the keys live in.
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
        // Typed results (Ok<T>, Created<T>, Accepted<T>) write through the wire contract's context, with its
        // naming and its escaping (ASP.NET's relaxed default would change the bytes of non-ASCII text).
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = ApiJsonContext.Default.Options.PropertyNamingPolicy;
            json.SerializerOptions.Encoder = ApiJsonContext.Default.Options.Encoder;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddSingleton<RequestDrain>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationDefaults.AuthenticationScheme)
            .BindConfiguration(ApiKeyAuthenticationOptions.SectionName);
        services.AddEdgeLlmApiKeyAuthentication();
        services.AddSingleton<RetrievalQueries>();
        services.AddSingleton<ChatGrounding>();
        services.AddSingleton<IPromptEmbedder, ModelPromptEmbedder>();
        services.AddSingleton<IGuardModel, GuardModelJudge>();
        return services;
    }

    /// <summary>
    /// The API's middleware (edge protection, errors, authentication, rate limits) and every route, area by area.
    /// Only <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> are open; the rest need an API key with the right scope.
    /// </summary>
    public static WebApplication MapEdgeLlmApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var authentication = app.Services.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>().Get(ApiKeyAuthenticationDefaults.AuthenticationScheme);
        if (!authentication.Enabled)
        {
            AuthenticationLog.AuthenticationDisabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ApiLogCategory>(), ApiKeyAuthenticationDefaults.DevelopmentTenant);
        }

        app.UseEdgeProtection();
        app.UseMiddleware<DrainMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var error = status == StatusCodes.Status405MethodNotAllowed
                ? new ApiError(status, ErrorCodes.InvalidRequest, "This method is not allowed on this route.")
                : new ApiError(status, ErrorCodes.NotFound, "No such route.");
            return error.ExecuteAsync(context.HttpContext);
        });
        app.UseAuthentication();
        app.UseMiddleware<RequestForgeryGuard>();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealthApi();
        app.MapGenerationApi();
        app.MapOllamaApi();
        app.MapRetrievalApi();
        app.MapAdminApi();
        return app;
    }
}
