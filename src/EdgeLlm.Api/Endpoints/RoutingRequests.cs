using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Routing;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Endpoints;

/// <summary>What the router sees of an HTTP request: the caller, the text to match and the features asked for.</summary>
internal static class RoutingRequests
{
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
