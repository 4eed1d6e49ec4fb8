namespace EdgeLlm.Guardrails.Policies;

/// <summary>What a policy does with a detector's hit in one direction.</summary>
public enum GuardrailAction
{
    /// <summary><c>allow</c>: the text passes unchanged and nothing is counted.</summary>
    Allow,

    /// <summary><c>redact</c>: replaced by a typed placeholder (<c>[EMAIL_1]</c>), optionally restored in the answer.</summary>
    Redact,

    /// <summary><c>mask</c>: replaced by a mask that keeps no recoverable value.</summary>
    Mask,

    /// <summary><c>block</c>: the request is refused (input) or the stream ends with <c>content_filter</c> (output).</summary>
    Block,

    /// <summary><c>flag</c>: the text passes, the hit is counted and audited.</summary>
    Flag,
}
