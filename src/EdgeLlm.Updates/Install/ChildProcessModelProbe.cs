using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Runs a new release's own <c>edgellm probe</c> on the served model through Inference's <see cref="VersionProbe"/>
/// (the same command line, settings, backend modules and natives folder as a model version's probe).
/// </summary>
internal sealed class ChildProcessModelProbe(VersionProbe probe) : IModelProbe
{
    public async Task<ProbeFailure?> ProbeReleaseAsync(string releaseDirectory, string modelPath, EffectiveModelSettings settings, CancellationToken cancellationToken) =>
        ProbeFailure.Of(await probe.RunAsync([Path.Combine(releaseDirectory, "edgellm")], modelPath, settings, cancellationToken));
}
