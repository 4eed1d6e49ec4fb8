using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>The running models as the rollouts see them: which candidate is loaded, and every call made, in order.</summary>
internal sealed class FakeModelVersions : IModelVersions
{
    private readonly Dictionary<string, string> _candidates = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];

    /// <summary>When set, loading a candidate fails with this code.</summary>
    public string? FailLoadWith { get; set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The file each model's active version serves from, as the running models would after promotions and switches.</summary>
    public Dictionary<string, string> Active { get; } = new(StringComparer.Ordinal);

    public Task<VersionProbeFailure?> ProbeAsync(ModelOptions version, CancellationToken cancellationToken) => Task.FromResult<VersionProbeFailure?>(null);

    public Task<ModelSwitchResult> SwitchAsync(ModelOptions version, CancellationToken cancellationToken)
    {
        Record($"switch {version.EffectiveName} {version.Path}");
        Active[version.EffectiveName] = version.Path;
        return Task.FromResult<ModelSwitchResult>(new ModelSwitchResult.Switched(version.EffectiveName, version.Path));
    }

    public Task<ModelSwitchResult> LoadCandidateAsync(ModelOptions version, CancellationToken cancellationToken)
    {
        Record($"load {version.EffectiveName} {version.Path}");
        if (FailLoadWith is { } code)
        {
            return Task.FromResult<ModelSwitchResult>(new ModelSwitchResult.Failed(code, "the candidate did not answer"));
        }

        lock (_candidates)
        {
            _candidates[version.EffectiveName] = version.Path;
        }

        return Task.FromResult<ModelSwitchResult>(new ModelSwitchResult.Switched(version.EffectiveName, version.Path));
    }

    public Task<bool> PromoteCandidateAsync(string name, CancellationToken cancellationToken)
    {
        Record($"promote {name}");
        lock (_candidates)
        {
            if (!_candidates.Remove(name, out var path))
            {
                return Task.FromResult(false);
            }

            Active[name] = path;
            return Task.FromResult(true);
        }
    }

    public Task<bool> RetireCandidateAsync(string name, CancellationToken cancellationToken)
    {
        Record($"retire {name}");
        lock (_candidates)
        {
            return Task.FromResult(_candidates.Remove(name));
        }
    }

    public Task<bool> WithdrawAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Active.Remove(name));

    public string? CandidatePath(string name)
    {
        lock (_candidates)
        {
            return _candidates.GetValueOrDefault(name);
        }
    }

    private void Record(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }
}
