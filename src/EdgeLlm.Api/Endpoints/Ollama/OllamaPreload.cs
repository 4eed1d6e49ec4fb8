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
/// Ollama's unload call (the same with <c>keep_alive: 0</c>) lets an on-demand model go as soon as it is idle (within
/// a second, by the keep-alive's own sweep, so running work finishes first); a pinned model stays, and the call is
/// refused. A request's <c>keep_alive</c> never holds a model longer than its configured keep-alive.
/// </summary>
internal static class OllamaPreload
{
    public const string Loaded = "load";

    /// <summary>Ollama's done reason for its unload call.</summary>
    public const string Unloaded = "unload";

    /// <summary>The done reason when the model is in memory; else why not (404, 503 with a retry time).</summary>
    public static async Task<(string? DoneReason, ApiError? Error)> LoadAsync(
        HttpContext http, ModelRegistry registry, ModelResidency residency, RouteResolver router, string name, TimeSpan? keepAlive, InferenceOptions inference, OllamaTimings timings)
    {
        if (keepAlive == TimeSpan.Zero)
        {
            return residency.RequestKeepAlive(name, TimeSpan.Zero)
                ? (Unloaded, null)
                : (null, new ApiError(
                    400,
                    ErrorCodes.InvalidParameter,
                    "Only an on-demand model can be unloaded by a client: a pinned model stays loaded (the load policy, Inference:Models LoadPolicy), and a route names no one model.",
                    "keep_alive"));
        }

        residency.RequestKeepAlive(name, keepAlive);

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
