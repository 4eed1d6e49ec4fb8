using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Updates.Rollouts;

namespace EdgeLlm.Updates.Policies;

/// <summary>A policy candidate's share of clients: the same sticky buckets as a model's (<see cref="StickyCanarySplit"/>), read without a lock.</summary>
internal sealed class PolicyCanarySplit : IPolicyCanarySplit
{
    private LiveRollout? _live;

    /// <summary>The rollout whose candidate is live, with its share now; null when none is.</summary>
    public LiveRollout? Live
    {
        get => Volatile.Read(ref _live);
        set => Volatile.Write(ref _live, value);
    }

    public bool ToCandidate(string? apiKeyId, string? user) => Live is { } live && StickyCanarySplit.Chooses(live, apiKeyId, user);
}
