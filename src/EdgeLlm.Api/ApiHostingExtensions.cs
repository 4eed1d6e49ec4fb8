using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api;

public static class ApiHostingExtensions
{
    /// <summary>Registers the LAN API: options, request limits, the central error handler and API-key authentication.</summary>
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

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = api.Value.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = api.Value.KeepAliveTimeout;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationDefaults.AuthenticationScheme)
            .BindConfiguration(ApiKeyAuthenticationOptions.SectionName);
        services.AddEdgeLlmApiKeyAuthentication();
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

        app.UseExceptionHandler();
        app.UseStatusCodePages(context => ApiErrorWriter.WriteAsync(
            context.HttpContext,
            context.HttpContext.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
                ? new ApiError(405, ErrorCodes.InvalidRequest, "This method is not allowed on this route.")
                : new ApiError(context.HttpContext.Response.StatusCode, ErrorCodes.NotFound, "No such route.")));
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/healthz", HealthEndpoints.Alive).AllowAnonymous();
        app.MapGet("/readyz", HealthEndpoints.ReadyAsync).AllowAnonymous();

        var v1 = app.MapGroup("/v1").RequireAuthorization(ApiScopes.Inference);
        v1.MapGet("/models", ModelsEndpoint.List);
        v1.MapGet("/models/{id}", ModelsEndpoint.GetAsync);
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapPost("/completions", CompletionsEndpoint.HandleAsync);
        v1.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
        return app;
    }
}
