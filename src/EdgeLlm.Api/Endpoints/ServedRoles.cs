using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Api.Endpoints;

/// <summary>
/// Which models an endpoint serves, by role (checked before an on-demand model is loaded): generation only chat models; embeddings chat and embedding models. A guard model
/// is served by neither until the safety supervisor uses it.
/// </summary>
internal static class ServedRoles
{
    /// <summary>400 <c>model_role_mismatch</c> naming the first of <paramref name="models"/> that is not a chat model; null when all are.</summary>
    public static ApiError? ForGeneration(RoutedModels models, ModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(registry);
        return models.Names.Select(registry.FindSlot).FirstOrDefault(m => m is not null && m.Settings.Role != ModelRole.Chat) is { } model ? Mismatch(model, "only chat models generate") : null;
    }

    /// <summary>400 <c>model_role_mismatch</c> when <paramref name="model"/> is a guard model; null for a chat or embedding model.</summary>
    public static ApiError? ForEmbeddings(ModelSlot model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Settings.Role == ModelRole.Guard ? Mismatch(model, "only chat and embedding models embed") : null;
    }

    private static ApiError Mismatch(ModelSlot model, string rule) =>
        new(400, ErrorCodes.ModelRoleMismatch, $"The model '{model.Name}' has the role {ModelRoles.Name(model.Settings.Role)}; {rule}.", "model");
}
