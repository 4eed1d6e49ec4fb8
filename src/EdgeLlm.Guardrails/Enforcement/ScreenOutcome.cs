namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>What screening one text gave: the text to use (redacted, masked), or the rule or family that blocks it.</summary>
/// <param name="Text">The text with the policy's actions applied; not to be forwarded when <paramref name="BlockedBy"/> is set.</param>
/// <param name="BlockedBy">The deny rule's name, the PII family, or <c>guard:&lt;category&gt;</c> that blocked the text.</param>
public readonly record struct ScreenOutcome(string Text, string? BlockedBy)
{
    public bool IsBlocked => BlockedBy is not null;
}
