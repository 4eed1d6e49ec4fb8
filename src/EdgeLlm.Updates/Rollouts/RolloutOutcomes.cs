using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>How starting a rollout ended.</summary>
public abstract record RolloutStartOutcome
{
    private RolloutStartOutcome()
    {
    }

    /// <summary>The candidate is loaded and takes the first step's share.</summary>
    public sealed record Started(RolloutRecord Rollout) : RolloutStartOutcome;

    /// <summary>No model (or policy set) of that name is served (configured or installed).</summary>
    public sealed record NoSuchModel(string Model) : RolloutStartOutcome;

    /// <summary>No installed version or file matches what was asked for.</summary>
    public sealed record NoSuchVersion(string Message) : RolloutStartOutcome;

    /// <summary>The model already has a rollout that is not finished.</summary>
    public sealed record AlreadyRunning(RolloutRecord Rollout) : RolloutStartOutcome;

    /// <summary>The request itself is wrong (steps, interval, the active version asked for as candidate).</summary>
    public sealed record Invalid(string Message) : RolloutStartOutcome;

    /// <summary>The model or policy set has no active version to compare with (it is new to the device).</summary>
    public sealed record NoActiveVersion(string Model) : RolloutStartOutcome;

    /// <summary>The candidate did not load or answer its health check (a policy: did not read); the rollout is journaled as aborted.</summary>
    public sealed record CandidateFailed(RolloutRecord Rollout, string Code, string Message) : RolloutStartOutcome;
}

/// <summary>How an operator's pause, resume, promotion or abort ended.</summary>
public abstract record RolloutCommandOutcome
{
    private RolloutCommandOutcome()
    {
    }

    /// <summary>Done; the rollout as journaled now.</summary>
    public sealed record Done(RolloutRecord Rollout) : RolloutCommandOutcome;

    /// <summary>The model or policy set has no rollout in a state the command applies to.</summary>
    public sealed record NotRunning(string Model) : RolloutCommandOutcome;
}

/// <summary>
/// What the operator asks for in <c>POST /admin/rollouts</c> (a model's) or <c>POST /admin/policies/{name}/rollout</c>
/// (<paramref name="Kind"/> policy, <paramref name="Model"/> the policy set's name): an installed version or a file, and
/// optionally the rollout's own steps, interval and stickiness.
/// </summary>
public sealed record RolloutRequest(string Model, string? Version, string? Path, IReadOnlyList<int>? Steps, TimeSpan? Interval, RolloutStickiness? StickyBy, string Kind = RolloutKinds.Model);
