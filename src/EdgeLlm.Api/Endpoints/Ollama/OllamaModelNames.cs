using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's <c>name:tag</c> names over this appliance's model names: each served model is listed as
/// <c>name:latest</c>, and a request's <c>name:latest</c> or bare <c>name</c> finds it, or the alias or route of that
/// name (one that itself holds a colon is found as written). Any other tag is 404 <c>model_not_found</c>: one version of a model is served.
/// </summary>
internal static class OllamaModelNames
{
    public const string LatestTag = ":latest";

    /// <summary><paramref name="name"/> as Ollama clients see it listed.</summary>
    public static string Listed(string name) => name.Contains(':', StringComparison.Ordinal) ? name : name + LatestTag;

    /// <summary>The served name (model, alias or route) <paramref name="requested"/> means; 400 when absent, 404 when none.</summary>
    public static (string? Name, ApiError? Error) Resolve(string? requested, ModelRegistry registry, RouteResolver? router = null)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, "model is required.", "model"));
        }

        bool Known(string name) => registry.FindSlot(name) is not null || router?.IsRoute(name) == true;
        if (Known(requested))
        {
            return (requested, null);
        }

        return requested.EndsWith(LatestTag, StringComparison.Ordinal) && Known(requested[..^LatestTag.Length])
            ? (requested[..^LatestTag.Length], null)
            : (null, ModelResolver.NotFound(requested));
    }
}
