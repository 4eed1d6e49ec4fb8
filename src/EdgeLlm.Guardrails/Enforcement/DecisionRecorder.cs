using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Guardrails.Redaction;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>Sends every decision to the audit trail and the metrics: the policy's version, the rule, never the text.</summary>
internal sealed class DecisionRecorder(ILogger audit)
{
    public void Record(GuardrailPolicy policy, string rule, GuardrailAction action, GuardrailDirection direction, int count, string? tenant, string? keyId)
    {
        GuardrailsMetrics.Decided(rule, action, direction, count);
        GuardrailsLog.Decision(audit, policy.Version, rule, PolicyVocabulary.Name(action), PolicyVocabulary.Name(direction), count, tenant, keyId);
    }

    public void Record(GuardrailPolicy policy, IReadOnlyList<RedactionDecision> decisions, GuardrailDirection direction, string? tenant, string? keyId)
    {
        foreach (var decision in decisions)
        {
            // Allow is never acted on: a family allowed in a direction has no detector running there.
            if (decision.Action != RedactionAction.Allow)
            {
                Record(policy, decision.Family, Map(decision.Action), direction, decision.Count, tenant, keyId);
            }
        }
    }

    private static GuardrailAction Map(RedactionAction action) => action switch
    {
        RedactionAction.Redact => GuardrailAction.Redact,
        RedactionAction.Mask => GuardrailAction.Mask,
        RedactionAction.Block => GuardrailAction.Block,
        RedactionAction.Flag => GuardrailAction.Flag,
        _ => GuardrailAction.Allow,
    };
}
