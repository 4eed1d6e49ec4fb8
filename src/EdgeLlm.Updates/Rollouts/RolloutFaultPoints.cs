namespace EdgeLlm.Updates.Rollouts;

/// <summary>The points of a promotion that crash-consistency tests kill the daemon at (<see cref="Install.FaultPoints"/>).</summary>
public static class RolloutFaultPoints
{
    /// <summary>The promotion is journaled, the catalog not yet changed: the next start-up finishes it.</summary>
    public const string AfterPromoteJournaled = "rollout-promote-journaled";

    /// <summary>The catalog names the candidate as active, the running models do not yet: the next start-up serves it.</summary>
    public const string AfterPromoteCommitted = "rollout-promote-committed";
}
