using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// A match strong enough to act on, with the action its family gets; or a placeholder of the request to write back as
/// <paramref name="RestoredValue"/>.
/// </summary>
internal readonly record struct ActionableMatch(EntityMatch Match, RedactionAction Action, string? RestoredValue = null)
{
    public int Start => Match.Start;

    public int End => Match.End;
}
