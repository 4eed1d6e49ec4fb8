using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>A match strong enough to act on, with the action its family gets.</summary>
internal readonly record struct ActionableMatch(EntityMatch Match, RedactionAction Action)
{
    public int Start => Match.Start;

    public int End => Match.End;
}
