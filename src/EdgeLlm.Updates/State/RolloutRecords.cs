namespace EdgeLlm.Updates.State;

/// <summary>
/// The journal of one canary rollout, of a model's version or of a policy set's: written before each change it
/// guards takes effect, so a restart resumes it at its step (the candidate re-loaded), finishes a promotion that was
/// decided, or leaves an aborted one aborted.
/// </summary>
public sealed class RolloutRecord
{
    public string Id { get; set; } = "";

    /// <summary><see cref="RolloutKinds.Model"/> (also for journals written before policies had rollouts) or <see cref="RolloutKinds.Policy"/>.</summary>
    public string Kind { get; set; } = RolloutKinds.Model;

    /// <summary>The name of the model, or of the policy set, on trial (the field keeps its first name in state.db).</summary>
    public string Model { get; set; } = "";

    /// <summary>The version on trial; it becomes the catalog's active version when the rollout promotes.</summary>
    public InstalledVersion Candidate { get; set; } = new();

    /// <summary>The active version the candidate is compared with (and that becomes previous on promotion).</summary>
    public string ActiveVersion { get; set; } = "";

    /// <summary><c>admin</c> or <c>bundle</c>.</summary>
    public string Origin { get; set; } = "";

    /// <summary>The candidate's share of requests at each step, in percent, rising to 100.</summary>
    public List<int> Steps { get; set; } = [];

    public long IntervalTicks { get; set; }

    /// <summary><see cref="Rollouts.RolloutStickiness"/> as text.</summary>
    public string StickyBy { get; set; } = "";

    public int StepIndex { get; set; }

    public string State { get; set; } = RolloutStates.Running;

    /// <summary>Windows whose checks failed so far; at <c>Updates:RolloutFailureLimit</c> the rollout aborts.</summary>
    public int Failures { get; set; }

    /// <summary>Windows with too few requests to judge (the step was held).</summary>
    public int Inconclusive { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>Start of the window being collected now (UTC ticks).</summary>
    public long WindowStartTicks { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>Why it ended, or why it is promoting: a stable code and a sentence.</summary>
    public string? Code { get; set; }

    public string? Message { get; set; }

    /// <summary>The figures of the last window judged.</summary>
    public RolloutFigures? Last { get; set; }

    /// <summary>The last active window with enough requests: what the candidate is held to once it takes every request.</summary>
    public WindowFigures? Baseline { get; set; }

    public TimeSpan Interval => TimeSpan.FromTicks(IntervalTicks);

    /// <summary>The candidate's share now, in percent (0 once it ended).</summary>
    public int Weight => State is RolloutStates.Running or RolloutStates.Paused or RolloutStates.Promoting ? Steps[StepIndex] : 0;

    public bool IsFinished => State is RolloutStates.Promoted or RolloutStates.Aborted;
}

/// <summary>What a rollout tries a new version of: the catalog's item kinds that can have a candidate.</summary>
public static class RolloutKinds
{
    public const string Model = "model";
    public const string Policy = "policy";

    /// <summary>The kind as a sentence starts it: "Model", "Policy".</summary>
    public static string Title(string kind) => kind == Policy ? "Policy" : "Model";
}

/// <summary>The states of a rollout; the last two are final.</summary>
public static class RolloutStates
{
    public const string Running = "running";
    public const string Paused = "paused";

    /// <summary>The promotion is decided and journaled, the catalog not yet changed: a restart finishes it.</summary>
    public const string Promoting = "promoting";
    public const string Promoted = "promoted";
    public const string Aborted = "aborted";
}

/// <summary>One version's window, as judged.</summary>
public sealed class WindowFigures
{
    public int Requests { get; set; }

    public double ErrorRate { get; set; }

    public double? TimeToFirstTokenP95Ms { get; set; }

    public double? TokensPerSecond { get; set; }

    public double BlockedShare { get; set; }
}

/// <summary>What decided one window: both versions' figures and the verdict.</summary>
public sealed class RolloutFigures
{
    public DateTime From { get; set; }

    public DateTime To { get; set; }

    public WindowFigures Active { get; set; } = new();

    public WindowFigures Candidate { get; set; } = new();

    /// <summary><c>passed</c>, <c>failed</c> or <c>inconclusive</c>.</summary>
    public string Verdict { get; set; } = "";

    /// <summary>The checks that failed (e.g. <c>error_rate</c>), or why the window was inconclusive.</summary>
    public List<string> Reasons { get; set; } = [];

    /// <summary>True when the candidate was held to <see cref="RolloutRecord.Baseline"/> (the active version served too few requests).</summary>
    public bool AgainstBaseline { get; set; }
}

/// <summary>A rollout event for telemetry (<c>rollout.started|step|promoted|aborted</c>), raised once its change is journaled.</summary>
public sealed record RolloutEvent(string Kind, RolloutRecord Rollout);
