using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The decode loop's fault points for end-to-end tests, named in <see cref="Variable"/> (the install's points are
/// Updates' <c>FaultPoints</c>, which reads the same variable). Read once per process: with none set there is no
/// instance, and a decode step costs one null check.
/// </summary>
public sealed class SchedulerFaults
{
    /// <summary>The one environment variable that selects a fault point, for every part of the process. Unset on a device.</summary>
    public const string Variable = "EDGELLM_FAULT_POINT";

    /// <summary>
    /// From each model's second generation on (the first is its load health check, so the daemon comes up ready),
    /// the decode loop blocks until shutdown, as a decode stuck in native code; the systemd watchdog pings stop.
    /// </summary>
    public const string Hang = "scheduler-hang";

    /// <summary>
    /// <c>scheduler-fail:N</c>: the N-th model the process loads (1 = the first configured model; every switch loads
    /// the next) fails each decode, as a model that loads but cannot generate.
    /// </summary>
    public const string FailPrefix = "scheduler-fail:";

    private static readonly string? FaultPoint = Environment.GetEnvironmentVariable(Variable);
    private static int _loaded;
    private readonly string _faultPoint;
    private readonly int _loadOrdinal;

    private SchedulerFaults(string faultPoint, int loadOrdinal) => (_faultPoint, _loadOrdinal) = (faultPoint, loadOrdinal);

    /// <summary>The faults of the next scheduler made (models are numbered in load order), or null when no fault point is set.</summary>
    internal static SchedulerFaults? ForNextScheduler() => FaultPoint is null ? null : new SchedulerFaults(FaultPoint, Interlocked.Increment(ref _loaded));

    /// <summary>True when this decode step must fail; blocks until <paramref name="stopping"/> when the loop must hang (logged first, so a test knows).</summary>
    internal bool FailsDecode(long completedGenerations, ILogger logger, CancellationToken stopping)
    {
        if (_faultPoint == Hang && completedGenerations > 0)
        {
            InferenceLog.FaultPointHangs(logger, Hang);
            stopping.WaitHandle.WaitOne();
        }

        return _faultPoint == FailPrefix + _loadOrdinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
