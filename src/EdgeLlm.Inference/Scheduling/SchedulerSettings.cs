namespace EdgeLlm.Inference.Scheduling;

/// <summary>The scheduler's limits, taken from <see cref="InferenceOptions"/>.</summary>
internal sealed record SchedulerSettings(int MaxSequences, int QueueCapacity, int PromptChunkTokens, TimeSpan RequestTimeout)
{
    /// <summary>How often an idle loop wakes to prove it is alive (watchdog).</summary>
    public TimeSpan IdleTick { get; init; } = TimeSpan.FromSeconds(1);

    public static SchedulerSettings From(InferenceOptions options) =>
        new(options.MaxSequences, options.QueueCapacity, options.PromptChunkTokens, options.RequestTimeout);
}

/// <summary>A point-in-time view of the scheduler, for health and status.</summary>
/// <param name="Active">Sequences being decoded.</param>
/// <param name="Waiting">Admitted requests waiting for a free sequence.</param>
/// <param name="LastHeartbeat">When the loop last completed a step or an idle tick.</param>
/// <param name="Faulted">True once the loop died; the daemon must restart.</param>
/// <param name="Completed">Generations that ended other than by cancellation, since start.</param>
/// <param name="Cancelled">Generations cancelled by their client (or by shutdown), since start.</param>
/// <param name="PeakActive">The most sequences ever decoded together, since start.</param>
public sealed record SchedulerSnapshot(int Active, int Waiting, DateTimeOffset LastHeartbeat, bool Faulted, long Completed, long Cancelled, int PeakActive);
