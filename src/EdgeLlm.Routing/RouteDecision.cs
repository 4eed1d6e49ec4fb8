using EdgeLlm.Routing.Cascade;

namespace EdgeLlm.Routing;

/// <summary>Where a route sent a request.</summary>
/// <param name="Route">The route's name.</param>
/// <param name="RuleIndex">The index of the rule that matched.</param>
/// <param name="Candidates">The rule's target, then the route's fallbacks (without the target), in the order to try.</param>
/// <param name="Escalation">The rule's cascade from its target, or null.</param>
public sealed record RouteDecision(string Route, int RuleIndex, IReadOnlyList<string> Candidates, RouteEscalation? Escalation = null);
