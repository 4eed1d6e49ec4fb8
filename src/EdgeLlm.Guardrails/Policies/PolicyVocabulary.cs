using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// The words a policy document uses for directions, actions, failure modes, checksums and detector families, and
/// their enum values. Ordinal and lower case only: a document is written by tools, and one spelling keeps audits
/// and diffs comparable.
/// </summary>
public static class PolicyVocabulary
{
    /// <summary>The built-in detector families, in the order a document lists them.</summary>
    public static readonly IReadOnlyList<string> BuiltInFamilies = ["email", "phone", "iban", "card", "ipv4", "ipv6", "mac"];

    /// <summary>The family of a custom pattern named <paramref name="name"/>, as <see cref="Detection.IEntityDetector.Family"/> spells it.</summary>
    public static string CustomFamily(string name) => "custom:" + name;

    public static bool TryParseDirection(string? text, out GuardrailDirection direction)
    {
        (var known, direction) = text switch
        {
            "input" => (true, GuardrailDirection.Input),
            "output" => (true, GuardrailDirection.Output),
            "retrieved" => (true, GuardrailDirection.Retrieved),
            _ => (false, default),
        };
        return known;
    }

    public static bool TryParseAction(string? text, out GuardrailAction action)
    {
        (var known, action) = text switch
        {
            "allow" => (true, GuardrailAction.Allow),
            "redact" => (true, GuardrailAction.Redact),
            "mask" => (true, GuardrailAction.Mask),
            "block" => (true, GuardrailAction.Block),
            "flag" => (true, GuardrailAction.Flag),
            _ => (false, default),
        };
        return known;
    }

    public static bool TryParseFailureMode(string? text, out GuardFailureMode mode)
    {
        (var known, mode) = text switch
        {
            "closed" => (true, GuardFailureMode.Closed),
            "open" => (true, GuardFailureMode.Open),
            _ => (false, default),
        };
        return known;
    }

    public static bool TryParseChecksum(string? text, out PatternChecksum checksum)
    {
        (var known, checksum) = text switch
        {
            "luhn" => (true, PatternChecksum.Luhn),
            "mod97" => (true, PatternChecksum.Mod97),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>The document's word for <paramref name="direction"/>: what audits and metrics label it with.</summary>
    public static string Name(GuardrailDirection direction) => direction switch
    {
        GuardrailDirection.Input => "input",
        GuardrailDirection.Output => "output",
        _ => "retrieved",
    };

    /// <summary>The document's word for <paramref name="action"/>: what audits and metrics label it with.</summary>
    public static string Name(GuardrailAction action) => action switch
    {
        GuardrailAction.Allow => "allow",
        GuardrailAction.Redact => "redact",
        GuardrailAction.Mask => "mask",
        GuardrailAction.Block => "block",
        _ => "flag",
    };
}
