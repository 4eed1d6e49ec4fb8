namespace EdgeLlm.Updates.Install;

/// <summary>How one install ended.</summary>
public abstract record InstallOutcome
{
    private InstallOutcome()
    {
    }

    /// <summary>The bundle's items are active.</summary>
    public sealed record Installed(string Bundle, string Channel, long Sequence, IReadOnlyList<string> Items) : InstallOutcome;

    /// <summary>The bundle was refused before anything changed (signature, freshness, files, disk budget).</summary>
    public sealed record Refused(string Code, string Message) : InstallOutcome;

    /// <summary>The bundle was valid but did not take: its probe or its health check failed; the previous version serves.</summary>
    public sealed record Failed(string Code, string Message) : InstallOutcome;

}
