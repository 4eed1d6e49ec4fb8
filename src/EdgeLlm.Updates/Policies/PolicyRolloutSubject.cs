using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Policies;

/// <summary>
/// A policy set's rollout in the running daemon: the candidate set held beside the one in force by the
/// <see cref="PolicyStore"/>, its share of clients given by the same sticky hash as a model's candidate, judged on
/// what each side did to the requests it screened (<see cref="PolicyOutcomes"/>): the blocked share, and guard
/// failures as errors. A device enforces one policy set, so at most one policy rollout runs.
/// </summary>
internal sealed class PolicyRolloutSubject(
    UpdateStateStore state, PolicySwitch policies, PolicyStore store, PolicyOutcomes outcomes, UpdatePaths paths, IOptions<InferenceOptions> inference) : IRolloutSubject
{
    private readonly PolicyCanarySplit _split = new();

    public string Kind => RolloutKinds.Policy;

    public InstalledVersion? ActiveVersion(string name) => state.FindInstalled(Kind, name)?.Active ?? ConfiguredVersion(name);

    /// <summary>The configured file stands for the set of any name until a policy is installed; then only for that set.</summary>
    public InstalledVersion? ConfiguredVersion(string name) =>
        state.Installed().Any(i => i.Kind == Kind && i.Name != name) ? null : policies.ConfiguredDefault(state.Time.GetUtcNow().UtcDateTime);

    public InstalledVersion? InstalledVersion(string name, string version) => RolloutVersions.Installed(state, paths, Kind, name, version, "*.json");

    public InstalledVersion? FromFile(string path) => RolloutVersions.FromFile(path);

    public bool IsLive(string name) => store.Candidate is not null && _split.Live?.Model == name;

    public Task<CandidateFailure?> LoadAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        var (candidate, refusal) = PolicyArtifacts.Read(rollout.Model, rollout.Candidate.Path, PolicyArtifacts.GuardModels(inference.Value));
        if (candidate is null)
        {
            return Task.FromResult<CandidateFailure?>(new CandidateFailure(PolicyArtifacts.Invalid, refusal!));
        }

        outcomes.Clear();
        Serve(rollout);
        store.ActivateCandidate(new PolicyCanary(candidate, _split));
        return Task.FromResult<CandidateFailure?>(null);
    }

    public void Serve(RolloutRecord rollout) => _split.Live = new LiveRollout(rollout.Model, rollout.Id, rollout.Weight, Enum.Parse<RolloutStickiness>(rollout.StickyBy));

    public Task<CandidateFailure?> PromoteAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        // The set on trial is put in force as it is, its detectors already built; only a candidate not live here is read again.
        PolicyLoadResult.Refused? refused = null;
        if (IsLive(rollout.Model) && store.Candidate is { } canary)
        {
            policies.PutInForce(rollout.Model, rollout.Candidate.Version, rollout.Candidate.Path, canary.Policies);
        }
        else
        {
            refused = policies.SwitchTo(rollout.Model, rollout.Candidate.Version, rollout.Candidate.Path);
        }

        Retire();
        return Task.FromResult(refused is null ? null : new CandidateFailure(PolicyArtifacts.Invalid, refused.ToString()));
    }

    public Task RetireAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        Retire();
        return Task.CompletedTask;
    }

    public VersionWindow Window(string name, ServedVersion version, DateTimeOffset from, DateTimeOffset to)
    {
        var window = outcomes.Window(version == ServedVersion.Candidate ? PolicySide.Candidate : PolicySide.Active, from, to);
        return new VersionWindow(window.Requests, window.GuardFailures, TimeToFirstTokenP95Ms: null, TokensPerSecond: null, window.Blocked);
    }

    private void Retire()
    {
        store.RetireCandidate();
        _split.Live = null;
        outcomes.Clear();
    }
}
