namespace EdgeLlm.Inference.Versions;

/// <summary>What each version of a model did with its requests, for comparing a candidate with the active version.</summary>
public interface IVersionOutcomes
{
    /// <summary>The requests of <paramref name="model"/>'s <paramref name="version"/> that ended in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    VersionWindow Window(string model, ServedVersion version, DateTimeOffset from, DateTimeOffset to);
}

/// <summary>Which of a model's versions.</summary>
public enum ServedVersion
{
    Active,
    Candidate,
}

/// <summary>
/// One window of a version's finished requests: how many, how many failed (server-side errors, not client mistakes),
/// the 95th percentile of time to first token and the median completion tokens per second (null with no sample),
/// and how many answers the output guardrails blocked.
/// </summary>
public sealed record VersionWindow(int Requests, int Errors, double? TimeToFirstTokenP95Ms, double? TokensPerSecond, int Blocked);
