using System.Diagnostics.Metrics;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Inference.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api;

/// <summary>
/// The API's own instruments (meter <c>EdgeLlm.Api</c>). Requests by route and status and their latency come
/// from ASP.NET Core's <c>http.server.request.duration</c>; this adds every refused request by its stable
/// error code, which also counts authentication failures in aggregate (never per key or address), and whether the
/// daemon is ready (<c>edgellm_ready</c>), so an alert sees what a load balancer sees at <c>/readyz</c>.
/// </summary>
public static class ApiMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Api");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("edgellm.api.errors", "{request}", "Requests answered with an error, by code and status (queue_full, invalid_api_key, …).");
    private static Func<bool>? _ready;

    static ApiMetrics() => Meter.CreateObservableGauge(
        "edgellm.ready", Ready, "{daemon}", "1 while /readyz answers ready (every model loaded and answering, not shutting down), else 0.");

    /// <summary>The host whose readiness the gauge reports: <c>/readyz</c>'s own decision, asked at each collection.</summary>
    public static void ObserveReadiness(IServiceProvider services) => Volatile.Write(ref _ready, () => HealthEndpoints.Ready(
        services.GetRequiredService<ModelRegistry>(),
        services.GetRequiredService<RequestDrain>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<IOptions<ApiOptions>>()).Result is Ok<HealthStatus>);

    internal static void Error(string code, int status) =>
        Errors.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("status", status));

    private static IEnumerable<Measurement<int>> Ready()
    {
        if (Volatile.Read(ref _ready) is not { } ready)
        {
            return [];
        }

        try
        {
            return [new Measurement<int>(ready() ? 1 : 0)];
        }
        catch (ObjectDisposedException)
        {
            return [];
        }
    }
}
