namespace EdgeLlm.Routing;

/// <summary>Where a route sent a request.</summary>
/// <param name="Route">The route's name.</param>
/// <param name="RuleIndex">The index of the rule that matched.</param>
/// <param name="Candidates">The rule's target, then the route's fallbacks (without the target), in the order to try.</param>
public sealed record RouteDecision(string Route, int RuleIndex, IReadOnlyList<string> Candidates);
