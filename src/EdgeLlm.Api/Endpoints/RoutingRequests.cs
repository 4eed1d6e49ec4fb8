using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Endpoints;

/// <summary>What the router sees of an HTTP request: the caller, the text to match and the features asked for.</summary>
internal static class RoutingRequests
{
    /// <summary>
    /// For a route, the request its rules decide on, with the text's embedding when a classifier rule may be
    /// consulted (the one step that waits on a model, so it is taken here, before the decision); null for a model name.
    /// While the models load nothing is embedded: the route answers 503 then without waiting.
    /// </summary>
    public static async Task<RoutingRequest?> PrepareAsync(
        HttpContext http, ModelRegistry registry, RouteResolver router, string? model, string text, JsonElement? responseFormat, bool tools, bool retrieval)
    {
        if (!router.IsRoute(model))
        {
            return null;
        }

        var request = Of(http, text, responseFormat, tools, retrieval);
        return registry.IsReady ? await router.PrepareAsync(model!, request, http.RequestAborted) : request;
    }

    public static RoutingRequest Of(HttpContext http, string text, JsonElement? responseFormat, bool tools, bool retrieval)
    {
        var features = new HashSet<string>(StringComparer.Ordinal);
        if (tools)
        {
            features.Add(RoutingFeatures.Tools);
        }

        if (retrieval)
        {
            features.Add(RoutingFeatures.Retrieval);
        }

        // response_format was checked already; only its type matters here (json_schema, json_object or text).
        if (responseFormat is { ValueKind: JsonValueKind.Object } format && format.TryGetProperty("type", out var type) && type.GetString() is RoutingFeatures.JsonSchema or RoutingFeatures.JsonObject)
        {
            features.Add(type.GetString()!);
        }

        return new RoutingRequest(http.User.GetApiKeyId(), http.User.GetTenant(), text, features);
    }
}
