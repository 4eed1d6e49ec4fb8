using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Routing;

/// <summary>
/// Resolves a route name to a served model: the first rule whose conditions all hold chooses the target, the route's
/// fallbacks follow it. Rules are compiled once; deciding allocates only the candidate list.
/// </summary>
public sealed class RouteResolver
{
    private readonly Dictionary<string, (RouteOptions Route, CompiledRule[] Rules)> _routes;
    private readonly ILogger<RouteResolver> _logger;

    public RouteResolver(IOptions<RoutingOptions> options, ILogger<RouteResolver> logger)
    {
        var settings = options.Value;
        _routes = settings.Routes.ToDictionary(
            r => r.Name,
            r => (r, r.Rules.Select(rule => new CompiledRule(rule, rule.Pattern is null ? null : settings.CompilePattern(rule.Pattern))).ToArray()),
            StringComparer.Ordinal);
        _logger = logger;
    }

    /// <summary>Whether <paramref name="model"/> names a route rather than a model.</summary>
    public bool IsRoute(string? model) => model is not null && _routes.ContainsKey(model);

    /// <summary>The decision for a request to route <paramref name="route"/>, or null when no rule matched.</summary>
    public RouteDecision? Decide(string route, RoutingRequest request)
    {
        var (options, rules) = _routes[route];
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(request))
            {
                var target = rules[i].Target;
                RoutingMetrics.Decided(route, i, target);
                RoutingLog.Decided(_logger, route, i, target, request.RoughTokens);
                return new RouteDecision(route, i, [target, .. options.Fallbacks.Where(f => f != target)]);
            }
        }

        RoutingMetrics.Decided(route, -1, null);
        RoutingLog.NoRuleMatched(_logger, route, request.RoughTokens);
        return null;
    }

    /// <summary>Counts and logs that <paramref name="refused"/> turned a routed request away and <paramref name="next"/> gets it.</summary>
    public void FellBack(string route, string refused, string code, string next)
    {
        RoutingMetrics.FellBack(route, refused);
        RoutingLog.FellBack(_logger, route, refused, code, next);
    }
}
