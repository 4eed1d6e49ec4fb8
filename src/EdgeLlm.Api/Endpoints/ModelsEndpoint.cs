using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
internal static class ModelsEndpoint
{
    public static IResult List(ModelRegistry registry) =>
        Results.Json(new ModelList("list", registry.Models.Select(ToDto).ToList()), ApiJsonContext.Default.ModelList);

    public static async Task GetAsync(HttpContext http, string id, ModelRegistry registry)
    {
        if (registry.Find(id) is { } model && !string.IsNullOrEmpty(id))
        {
            await Results.Json(ToDto(model), ApiJsonContext.Default.ModelDto).ExecuteAsync(http);
            return;
        }

        await ApiErrorWriter.WriteAsync(http, new ApiError(404, ErrorCodes.ModelNotFound, "No model by that name on this appliance.", "model"));
    }

    private static ModelDto ToDto(LoadedModel model) => new(model.Name, "model", model.LoadedAt.ToUnixTimeSeconds(), "edgellm");
}
