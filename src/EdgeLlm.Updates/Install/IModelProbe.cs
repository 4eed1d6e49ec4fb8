using EdgeLlm.Inference.Models;

namespace EdgeLlm.Updates.Install;

/// <summary>Tries a model file before it is activated, where a crash cannot reach the daemon.</summary>
public interface IModelProbe
{
    /// <summary>Null when the model loaded and generated with the settings it will be served with; otherwise why not.</summary>
    Task<ProbeFailure?> ProbeAsync(string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken);

    /// <summary>Runs the daemon release in <paramref name="releaseDirectory"/> on <paramref name="modelPath"/>: the new build must start and generate.</summary>
    Task<ProbeFailure?> ProbeReleaseAsync(string releaseDirectory, string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken);
}

public sealed record ProbeFailure(string Code, string Message);
