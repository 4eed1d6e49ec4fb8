namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The decode loop's fault points for end-to-end tests, named in <c>EDGELLM_FAULT_POINT</c> (listed with the others in
/// Updates' <c>FaultPoints</c>). Read once per process: with none set there is no instance, and a decode step costs one
/// null check.
/// </summary>
internal sealed class SchedulerFaults(string faultPoint, int loadOrdinal)
{
    private static readonly string? FaultPoint = Environment.GetEnvironmentVariable("EDGELLM_FAULT_POINT");
    private static int _loaded;

    /// <summary>The faults of the next scheduler made (models are numbered in load order), or null when no fault point is set.</summary>
    public static SchedulerFaults? ForNextScheduler() => FaultPoint is null ? null : new SchedulerFaults(FaultPoint, Interlocked.Increment(ref _loaded));

    /// <summary>
    /// <c>scheduler-hang</c>: from its second generation on (the first is its load health check), the loop blocks
    /// until shutdown, as a decode stuck in native code. <c>scheduler-fail:N</c>: the N-th model loaded (1 = the
    /// first configured; each switch loads the next) fails every decode, as a model that loads but cannot generate.
    /// </summary>
    public bool FailsDecode(long completedGenerations, CancellationToken stopping)
    {
        if (faultPoint == "scheduler-hang" && completedGenerations > 0)
        {
            stopping.WaitHandle.WaitOne();
        }

        return faultPoint == $"scheduler-fail:{loadOrdinal}";
    }
}
