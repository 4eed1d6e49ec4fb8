namespace EdgeLlm.Guardrails.Redaction;

/// <summary>What happens to an entity of one family when it is found.</summary>
public enum RedactionAction
{
    /// <summary>Left as it is; counted.</summary>
    Allow,

    /// <summary>Left as it is; counted and reported so it can be audited.</summary>
    Flag,

    /// <summary>Letters and digits replaced by <c>*</c> except the last few; separators kept.</summary>
    Mask,

    /// <summary>Replaced by a typed placeholder (<c>[EMAIL_1]</c>), the same one for the same value within a request.</summary>
    Redact,

    /// <summary>The whole request or answer is refused, naming the family.</summary>
    Block,
}
