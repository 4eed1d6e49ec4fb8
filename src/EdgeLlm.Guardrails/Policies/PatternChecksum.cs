namespace EdgeLlm.Guardrails.Policies;

/// <summary>The check digit a custom pattern's hits must pass to score strong: <c>luhn</c> or <c>mod97</c> (ISO 7064, as IBANs).</summary>
public enum PatternChecksum
{
    None,
    Luhn,
    Mod97,
}
