using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Tries a new daemon release on the served model before it is activated, where a crash cannot reach the daemon. A new
/// model version is probed by Inference itself (<see cref="IModelVersions.ProbeAsync"/>).
/// </summary>
public interface IModelProbe
{
    /// <summary>Runs the daemon release in <paramref name="releaseDirectory"/> on <paramref name="modelPath"/>: the new build must start and generate.</summary>
    Task<ProbeFailure?> ProbeReleaseAsync(string releaseDirectory, string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken);
}

public sealed record ProbeFailure(string Code, string Message)
{
    /// <summary>An install's probe failure from a version's, or null for none.</summary>
    public static ProbeFailure? Of(VersionProbeFailure? failure) => failure is null ? null : new(failure.Code, failure.Message);
}
