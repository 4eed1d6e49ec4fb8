using System.Diagnostics.Metrics;

namespace EdgeLlm.Routing;

/// <summary>The router's instruments (meter <c>EdgeLlm.Routing</c>).</summary>
internal static class RoutingMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Routing");
    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("edgellm.routing.decisions", "{request}", "Routing decisions, by route, rule index (-1: none matched) and target.");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("edgellm.routing.fallbacks", "{request}", "Requests a route sent on to a fallback after a refusal at admission, by route and the model that refused.");
    private static readonly Counter<long> Escalations = Meter.CreateCounter<long>("edgellm.routing.escalations", "{request}", "Cascades that answered with the larger model, by route, the model whose answer was unsure (from) and the larger model (to).");

    public static void Decided(string route, int rule, string? target) => Decisions.Add(
        1,
        new KeyValuePair<string, object?>("route", route),
        new KeyValuePair<string, object?>("rule", rule),
        new KeyValuePair<string, object?>("target", target ?? "none"));

    public static void FellBack(string route, string refused) => Fallbacks.Add(
        1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("model", refused));

    public static void Escalated(string route, string from, string to) => Escalations.Add(
        1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("from", from), new KeyValuePair<string, object?>("to", to));
}
