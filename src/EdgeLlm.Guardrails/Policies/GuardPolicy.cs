namespace EdgeLlm.Guardrails.Policies;

/// <summary>How the guard model (a model with the role <c>guard</c>) screens text.</summary>
/// <param name="Model">The guard model's name in the portfolio.</param>
/// <param name="Directions">Which of input and output it screens.</param>
/// <param name="Categories">The hazard categories its prompt lists (<c>S1</c>, <c>violent_crimes</c> …).</param>
/// <param name="Timeout">How long a verdict may take before the policy's failure mode applies.</param>
public sealed record GuardPolicy(string Model, IReadOnlySet<GuardrailDirection> Directions, IReadOnlyList<string> Categories, TimeSpan Timeout);
