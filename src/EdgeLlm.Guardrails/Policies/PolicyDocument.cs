namespace EdgeLlm.Guardrails.Policies;

// The document as System.Text.Json reads it (snake_case, unknown members refused). Every member is nullable so that
// the compiler, not the serializer, says what is missing, with the path.

/// <summary>The document's root: the default policy, its version, and the tenants' own policies.</summary>
internal sealed class PolicyDocument : PolicyBody
{
    public string? Version { get; set; }

    public Dictionary<string, PolicyBody?>? Tenants { get; set; }
}

/// <summary>One policy; a tenant's has no version or tenants of its own.</summary>
internal class PolicyBody
{
    public DetectorsDocument? Detectors { get; set; }

    public List<DenyRuleDocument?>? Deny { get; set; }

    public GuardDocument? Guard { get; set; }

    public string? FailureMode { get; set; }

    public bool? RestoreRedactions { get; set; }
}

/// <summary>One member per built-in family, so an unknown family is an unknown member.</summary>
internal sealed class DetectorsDocument
{
    public DetectorDocument? Email { get; set; }

    public DetectorDocument? Phone { get; set; }

    public DetectorDocument? Iban { get; set; }

    public DetectorDocument? Card { get; set; }

    public DetectorDocument? Ipv4 { get; set; }

    public DetectorDocument? Ipv6 { get; set; }

    public DetectorDocument? Mac { get; set; }

    public List<CustomDetectorDocument?>? Custom { get; set; }
}

internal class DetectorDocument
{
    public bool? Enabled { get; set; }

    public double? MinScore { get; set; }

    public List<string?>? ContextWords { get; set; }

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? Retrieved { get; set; }
}

internal sealed class CustomDetectorDocument : DetectorDocument
{
    public string? Name { get; set; }

    public string? Pattern { get; set; }

    public string? Checksum { get; set; }

    public int? MaxLength { get; set; }
}

internal sealed class DenyRuleDocument
{
    public string? Name { get; set; }

    public List<string?>? Directions { get; set; }

    public List<string?>? Keywords { get; set; }

    public List<string?>? Patterns { get; set; }
}

internal sealed class GuardDocument
{
    public string? Model { get; set; }

    public List<string?>? Directions { get; set; }

    public List<string?>? Categories { get; set; }

    public string? Timeout { get; set; }
}
