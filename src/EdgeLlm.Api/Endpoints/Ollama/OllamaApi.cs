using EdgeLlm.Api.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's API under <c>/api</c>, for the tools that speak it rather than OpenAI's: the same models, guardrails,
/// routes and scheduler as <c>/v1</c>, and the same keys (inference scope) and tenants.
/// </summary>
public static class OllamaApi
{
    public static IEndpointRouteBuilder MapOllamaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiScopes.Inference);
        api.MapGet("/tags", OllamaModelsEndpoints.Tags);
        api.MapPost("/show", OllamaModelsEndpoints.ShowAsync);
        api.MapGet("/ps", OllamaModelsEndpoints.Running);
        api.MapGet("/version", OllamaModelsEndpoints.Version);
        api.MapPost("/chat", OllamaChatEndpoint.HandleAsync);
        api.MapPost("/generate", OllamaGenerateEndpoint.HandleAsync);
        api.MapPost("/embed", OllamaEmbedEndpoints.EmbedAsync);
        api.MapPost("/embeddings", OllamaEmbedEndpoints.EmbeddingsAsync);
        foreach (var route in (string[])["/pull", "/push", "/create", "/copy"])
        {
            api.MapPost(route, OllamaModelManagementEndpoint.Refuse);
        }

        api.MapDelete("/delete", OllamaModelManagementEndpoint.Refuse);
        api.MapPost("/blobs/{digest}", OllamaModelManagementEndpoint.Refuse);
        return app;
    }
}
