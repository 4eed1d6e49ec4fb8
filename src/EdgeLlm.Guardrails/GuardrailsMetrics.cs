using System.Diagnostics.Metrics;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails;

/// <summary>The supervisor's instruments (meter <c>EdgeLlm.Guardrails</c>); snapshots of them reach the telemetry outbox.</summary>
internal static class GuardrailsMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Guardrails");

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "edgellm.guard.decisions", "{decision}", "Guardrail decisions, by action, rule (a PII family, a deny rule's name, guard:<category>, guard_unavailable) and direction; never the text.");

    public static void Decided(string rule, GuardrailAction action, GuardrailDirection direction, int count) => Decisions.Add(
        count,
        new KeyValuePair<string, object?>("action", PolicyVocabulary.Name(action)),
        new KeyValuePair<string, object?>("rule", rule),
        new KeyValuePair<string, object?>("direction", PolicyVocabulary.Name(direction)));
}
