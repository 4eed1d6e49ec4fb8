using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// A model's rollout in the running daemon: the candidate loaded beside the active version in the model registry, its
/// share given by <see cref="StickyCanarySplit"/>, judged on the requests each version served.
/// </summary>
internal sealed class ModelRolloutSubject(
    UpdateStateStore state, IModelVersions versions, IVersionOutcomes outcomes, LiveRollouts live, UpdatePaths paths, IOptions<InferenceOptions> inference) : IRolloutSubject
{
    public string Kind => RolloutKinds.Model;

    public InstalledVersion? ActiveVersion(string name) => state.FindInstalled(Kind, name)?.Active ?? ConfiguredVersion(name);

    public InstalledVersion? ConfiguredVersion(string name) =>
        inference.Value.Models.FirstOrDefault(m => m.EffectiveName == name) is { } configured
            ? new InstalledVersion { Version = "configured", Path = Path.GetFullPath(configured.Path), ActivatedAt = state.Time.GetUtcNow().UtcDateTime }
            : null;

    public InstalledVersion? InstalledVersion(string name, string version) => RolloutVersions.Installed(state, paths, Kind, name, version, "*.gguf");

    public InstalledVersion? FromFile(string path) => RolloutVersions.FromFile(path);

    public bool IsLive(string name) => live.Contains(name);

    public async Task<CandidateFailure?> LoadAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        if (await versions.LoadCandidateAsync(inference.Value.ModelVersion(rollout.Model, rollout.Candidate.Path), cancellationToken) is ModelSwitchResult.Failed failed)
        {
            return new CandidateFailure(failed.Code, failed.Message);
        }

        Serve(rollout);
        return null;
    }

    public void Serve(RolloutRecord rollout) => live.Set(new LiveRollout(rollout.Model, rollout.Id, rollout.Weight, Enum.Parse<RolloutStickiness>(rollout.StickyBy)));

    public async Task<CandidateFailure?> PromoteAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        // The candidate may have been lost (a restart between the journal and the switch): then its file is loaded as the active version.
        var promoted = await versions.PromoteCandidateAsync(rollout.Model, cancellationToken);
        live.Remove(rollout.Model);
        return !promoted && await versions.SwitchAsync(inference.Value.ModelVersion(rollout.Model, rollout.Candidate.Path), cancellationToken) is ModelSwitchResult.Failed failed
            ? new CandidateFailure(failed.Code, failed.Message)
            : null;
    }

    public async Task RetireAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        live.Remove(rollout.Model);
        await versions.RetireCandidateAsync(rollout.Model, cancellationToken);
    }

    public VersionWindow Window(string name, ServedVersion version, DateTimeOffset from, DateTimeOffset to) => outcomes.Window(name, version, from, to);
}
