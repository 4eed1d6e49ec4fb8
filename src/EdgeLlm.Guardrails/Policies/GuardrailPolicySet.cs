namespace EdgeLlm.Guardrails.Policies;

/// <summary>What one policy document holds: the default policy and the tenants that have their own.</summary>
public sealed record GuardrailPolicySet(string Version, GuardrailPolicy Default, IReadOnlyDictionary<string, GuardrailPolicy> Tenants)
{
    /// <summary>
    /// The set in force before any document is activated: nothing detected, nothing denied, no guard. It is a starting
    /// point, not a safe policy; an appliance that needs one ships a document.
    /// </summary>
    public static GuardrailPolicySet None { get; } = new(
        "none",
        new GuardrailPolicy("none", null, new Dictionary<string, DetectorPolicy>(), DenyRuleSet.Empty, null, GuardFailureMode.Closed, false),
        new Dictionary<string, GuardrailPolicy>());

    /// <summary>The policy for <paramref name="tenant"/>: its own when the document has one, else the default.</summary>
    public GuardrailPolicy For(string? tenant) =>
        tenant is not null && Tenants.TryGetValue(tenant, out var own) ? own : Default;
}
