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

    /// <summary>
    /// A sentence for each policy whose guard is none of <paramref name="guardModels"/> (the configured models with the
    /// role guard): failing closed, such a policy would refuse every prompt; failing open, it would screen none.
    /// </summary>
    public IEnumerable<string> UnknownGuards(IReadOnlySet<string> guardModels) =>
        Tenants.Values.Prepend(Default)
            .Where(p => p.Guard is { } guard && !guardModels.Contains(guard.Model))
            .Select(p => $"the {(p.Tenant is null ? "default policy" : $"policy of tenant '{p.Tenant}'")} names guard model '{p.Guard!.Model}', which is not one of Inference:Models with Role guard");

    /// <summary>The policy for <paramref name="tenant"/>: its own when the document has one, else the default.</summary>
    public GuardrailPolicy For(string? tenant) =>
        tenant is not null && Tenants.TryGetValue(tenant, out var own) ? own : Default;
}
