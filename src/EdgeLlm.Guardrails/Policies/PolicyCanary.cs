namespace EdgeLlm.Guardrails.Policies;

/// <summary>A candidate policy set on trial beside the one in force, and the split that sends it its share of requests.</summary>
public sealed record PolicyCanary(GuardrailPolicySet Policies, IPolicyCanarySplit Split);

/// <summary>The policy one request is screened by and, while a canary runs, which side of it.</summary>
/// <param name="Policy">The tenant's own policy of the chosen set, else its default.</param>
/// <param name="Side">Null when no canary runs.</param>
public readonly record struct PolicyChoice(GuardrailPolicy Policy, PolicySide? Side);

/// <summary>Which version of a policy canary screened a request.</summary>
public enum PolicySide
{
    Active,
    Candidate,
}
