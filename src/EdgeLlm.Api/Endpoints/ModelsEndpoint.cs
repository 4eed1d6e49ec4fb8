using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: every served model, loaded or not, with its state.</summary>
internal static class ModelsEndpoint
{
    public static Ok<ModelList> List(ModelRegistry registry) =>
        TypedResults.Ok(new ModelList("list", registry.Slots.Select(ToDto).ToList()));

    public static Results<Ok<ModelDto>, ApiError> Get(string id, ModelRegistry registry) =>
        !string.IsNullOrEmpty(id) && registry.FindSlot(id) is { } slot
            ? TypedResults.Ok(ToDto(slot))
            : new ApiError(404, ErrorCodes.ModelNotFound, "No model by that name on this appliance.", "model");

    // OpenAI's created is when the model came to be: its load time while loaded, else its file's time.
    private static ModelDto ToDto(ModelSlot slot) =>
        new(slot.Name, "model", (slot.Loaded?.LoadedAt ?? File.GetLastWriteTimeUtc(slot.Version.Path)).ToUnixTimeSeconds(), "edgellm", new ModelStateDto(ModelStates.Of(slot.State), slot.Footprint.TotalBytes, slot.LastUsed, ModelRoles.Name(slot.Settings.Role)));
}
