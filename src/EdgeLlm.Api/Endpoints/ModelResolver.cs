using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Api.Endpoints;

internal static class ModelResolver
{
    /// <summary>The named (or default) model, or the error to return: 503 while loading, 404 for an unknown name.</summary>
    public static (LoadedModel? Model, ApiError? Error) Resolve(ModelRegistry registry, string? name)
    {
        if (!registry.IsReady)
        {
            return (null, ApiError.ModelNotReady("The model is still loading."));
        }

        return registry.Find(name) is { } model
            ? (model, null)
            : (null, new ApiError(404, ErrorCodes.ModelNotFound, $"The model '{name}' does not exist on this appliance.", "model"));
    }
}
