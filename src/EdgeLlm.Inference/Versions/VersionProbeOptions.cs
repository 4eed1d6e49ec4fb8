namespace EdgeLlm.Inference.Versions;

/// <summary>
/// How a version's probe child runs. Not a section of its own: the part that asks for probes (Updates, from
/// <c>Updates:ProbeTimeout</c>) sets it.
/// </summary>
public sealed class VersionProbeOptions
{
    /// <summary>How long the child may take to load the version and generate. Default 3 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The fault point handed to the child in <c>EDGELLM_FAULT_POINT</c> (crash-consistency tests only); the daemon's
    /// own is never passed on. Default none.
    /// </summary>
    public string? ChildFaultPoint { get; set; }
}
