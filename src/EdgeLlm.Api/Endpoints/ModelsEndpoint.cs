using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
internal static class ModelsEndpoint
{
    public static Ok<ModelList> List(ModelRegistry registry) =>
        TypedResults.Ok(new ModelList("list", registry.Models.Select(ToDto).ToList()));

    public static Results<Ok<ModelDto>, ApiError> Get(string id, ModelRegistry registry) =>
        !string.IsNullOrEmpty(id) && registry.Find(id) is { } model
            ? TypedResults.Ok(ToDto(model))
            : new ApiError(404, ErrorCodes.ModelNotFound, "No model by that name on this appliance.", "model");

    private static ModelDto ToDto(LoadedModel model) =>
        new(model.Name, "model", model.LoadedAt.ToUnixTimeSeconds(), "edgellm", new ModelStateDto(ModelStates.Loaded, model.Footprint.TotalBytes, model.LastUsed));
}
