using System.Collections.Concurrent;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// The rollouts whose candidate is loaded in this process, with the share the split gives it now. The controller and
/// the admin commands change it once the journal says so; the split reads it on every request without a lock.
/// </summary>
public sealed class LiveRollouts
{
    private readonly ConcurrentDictionary<string, LiveRollout> _byModel = new(StringComparer.Ordinal);

    public LiveRollout? Find(string model) => _byModel.GetValueOrDefault(model);

    public bool Contains(string model) => _byModel.ContainsKey(model);

    internal void Set(LiveRollout rollout) => _byModel[rollout.Model] = rollout;

    internal void Remove(string model) => _byModel.TryRemove(model, out _);
}

/// <summary>A loaded candidate's share: <paramref name="WeightPercent"/> of the model's clients, chosen by <paramref name="RolloutId"/>'s hash.</summary>
public sealed record LiveRollout(string Model, string RolloutId, int WeightPercent, RolloutStickiness StickyBy);
