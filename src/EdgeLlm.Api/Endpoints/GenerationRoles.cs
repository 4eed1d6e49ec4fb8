using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Api.Endpoints;

/// <summary>Which models generate: only chat models; an embedding model (and, until the safety supervisor serves it, a guard model) is refused.</summary>
internal static class GenerationRoles
{
    /// <summary>400 <c>model_role_mismatch</c> naming the first of <paramref name="models"/> that is not a chat model; null when all are.</summary>
    public static ApiError? Refuse(RoutedModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return models.Models.FirstOrDefault(m => m.Settings.Role != ModelRole.Chat) is { } model
            ? new ApiError(400, ErrorCodes.ModelRoleMismatch, $"The model '{model.Name}' has the role {ModelRoles.Name(model.Settings.Role)}; only chat models generate.", "model")
            : null;
    }
}
