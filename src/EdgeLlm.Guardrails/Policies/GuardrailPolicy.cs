namespace EdgeLlm.Guardrails.Policies;

/// <summary>One tenant's (or the default) policy, read and compiled from a policy document.</summary>
/// <param name="Version">The document's version: what audits record with every decision.</param>
/// <param name="Tenant">The tenant this policy was written for; null for the default policy.</param>
/// <param name="Detectors">Every detector family the document names, by family (<c>email</c>, <c>custom:employee_id</c> …).</param>
/// <param name="Deny">The deny rules, compiled.</param>
/// <param name="Guard">How the guard model screens text; null when the policy uses none.</param>
/// <param name="FailureMode">What happens when the guard model cannot answer.</param>
/// <param name="RestoreRedactions">Whether placeholders in the answer are replaced by the caller's own values again.</param>
public sealed record GuardrailPolicy(
    string Version,
    string? Tenant,
    IReadOnlyDictionary<string, DetectorPolicy> Detectors,
    DenyRuleSet Deny,
    GuardPolicy? Guard,
    GuardFailureMode FailureMode,
    bool RestoreRedactions)
{
    /// <summary>The detectors that run, in the document's order.</summary>
    public IEnumerable<DetectorPolicy> EnabledDetectors => Detectors.Values.Where(d => d.Enabled);
}
