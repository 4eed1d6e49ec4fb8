using EdgeLlm.Api.Errors;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's preload call, <c>/api/generate</c> or <c>/api/chat</c> with nothing to answer: the model is put in memory
/// (an on-demand model is loaded, within the request timeout, as a first request would load it) and the answer is a
/// final object with <c>done_reason: "load"</c>. A route names no one model, so there is nothing to load for it.
/// Ollama's unload call (the same with <c>keep_alive: 0</c>) is refused: on a shared appliance the portfolio's load
/// policy decides what is in memory (pinned models stay, on-demand ones leave after their configured keep-alive or
/// when another model needs the room), not one client.
/// </summary>
internal static class OllamaPreload
{
    public const string Loaded = "load";

    /// <summary>The done reason when the model is in memory; else why not (404, 503 with a retry time).</summary>
    public static async Task<(string? DoneReason, ApiError? Error)> LoadAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, string name, TimeSpan? keepAlive, InferenceOptions inference, OllamaTimings timings)
    {
        if (keepAlive == TimeSpan.Zero)
        {
            return (null, new ApiError(
                400,
                ErrorCodes.InvalidParameter,
                "A client cannot unload a model here: the load policy decides (pinned models stay loaded; on-demand models unload after their keep-alive, Inference:Models KeepAlive).",
                "keep_alive"));
        }

        if (router.IsRoute(name))
        {
            return (Loaded, null);
        }

        if (registry.FindSlot(name) is { } slot && ServedRoles.ForGeneration(new RoutedModels([slot.Name], null), registry) is { } mismatch)
        {
            return (null, mismatch);
        }

        var (lease, error) = await ModelResolver.AcquireAsync(registry, residency, name, inference.RequestTimeout, http.RequestAborted);
        if (lease is null)
        {
            return (null, error);
        }

        lease.Dispose();
        timings.ModelReady();
        return (Loaded, null);
    }
}
