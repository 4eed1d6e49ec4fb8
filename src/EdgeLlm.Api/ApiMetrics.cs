using System.Diagnostics.Metrics;

namespace EdgeLlm.Api;

/// <summary>
/// The API's own instruments (meter <c>EdgeLlm.Api</c>). Requests by route and status and their latency come
/// from ASP.NET Core's <c>http.server.request.duration</c>; this adds every refused request by its stable
/// error code, which also counts authentication failures in aggregate (never per key or address).
/// </summary>
internal static class ApiMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Api");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("edgellm.api.errors", "{request}", "Requests answered with an error, by code and status (queue_full, invalid_api_key, …).");

    public static void Error(string code, int status) =>
        Errors.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("status", status));
}
