using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// The supervision's fault point for end-to-end tests, in the one variable every part reads
/// (<see cref="SchedulerFaults.Variable"/>): <c>worker-throw:NAME</c> makes every start of the background worker of type
/// NAME fail at once, as a worker whose loop keeps throwing. Unset on a device.
/// </summary>
internal static class WorkerFaults
{
    public const string ThrowPrefix = "worker-throw:";

    private static readonly string? Selected = Environment.GetEnvironmentVariable(SchedulerFaults.Variable);

    /// <summary>The failure of a start of <paramref name="worker"/>, or null when no fault point names it.</summary>
    public static Exception? StartFailure(string worker) =>
        string.Equals(Selected, ThrowPrefix + worker, StringComparison.Ordinal)
            ? new InvalidOperationException($"Fault point {ThrowPrefix}{worker}: the worker failed as it started.")
            : null;
}
