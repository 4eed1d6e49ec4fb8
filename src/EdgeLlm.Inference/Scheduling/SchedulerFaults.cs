using System.Globalization;
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

    /// <summary>
    /// <c>scheduler-fail-after-check:N</c>: the N-th model the process loads passes its load health check (its first
    /// generation), then fails each decode, as a version that loads and answers once but breaks under real requests.
    /// </summary>
    public const string FailAfterCheckPrefix = "scheduler-fail-after-check:";

    /// <summary>
    /// <c>scheduler-slow:N:MS</c>: each decode step of the N-th model the process loads (numbered as for
    /// <see cref="FailPrefix"/>; a candidate version counts as a load) first sleeps MS milliseconds, as a version that
    /// answers but slowly.
    /// </summary>
    public const string SlowPrefix = "scheduler-slow:";

    private static readonly string? FaultPoint = Environment.GetEnvironmentVariable(Variable);
    private static int _loaded;
    private readonly bool _hangs;
    private readonly bool _failsAfterCheck;

    internal SchedulerFaults(string faultPoint, int loadOrdinal)
    {
        var ordinal = loadOrdinal.ToString(CultureInfo.InvariantCulture);
        _hangs = faultPoint == Hang;
        FailsEveryDecode = faultPoint == FailPrefix + ordinal;
        _failsAfterCheck = faultPoint == FailAfterCheckPrefix + ordinal;
        DecodeDelay = SlowDelay(faultPoint, ordinal);
    }

    /// <summary>True when every decode step of this scheduler fails.</summary>
    internal bool FailsEveryDecode { get; }

    /// <summary>How long each decode step of this scheduler sleeps first; zero for none.</summary>
    internal TimeSpan DecodeDelay { get; }

    /// <summary>The faults of the next scheduler made (models are numbered in load order), or null when no fault point is set.</summary>
    internal static SchedulerFaults? ForNextScheduler() => FaultPoint is null ? null : new SchedulerFaults(FaultPoint, Interlocked.Increment(ref _loaded));

    /// <summary>
    /// True when this decode step must fail. Blocks until <paramref name="stopping"/> when the loop must hang (logged
    /// first, so a test knows), and sleeps <see cref="DecodeDelay"/> (cut short by <paramref name="stopping"/>) when it must be slow.
    /// </summary>
    internal bool FailsDecode(long completedGenerations, ILogger logger, CancellationToken stopping)
    {
        if (_hangs && completedGenerations > 0)
        {
            InferenceLog.FaultPointHangs(logger, Hang);
            stopping.WaitHandle.WaitOne();
        }

        if (DecodeDelay > TimeSpan.Zero)
        {
            stopping.WaitHandle.WaitOne(DecodeDelay);
        }

        return FailsEveryDecode || (_failsAfterCheck && completedGenerations > 0);
    }

    /// <summary>The delay <c>scheduler-slow:N:MS</c> asks of the model loaded <paramref name="ordinal"/>-th; zero when it names another or is malformed.</summary>
    private static TimeSpan SlowDelay(string faultPoint, string ordinal)
    {
        if (!faultPoint.StartsWith(SlowPrefix, StringComparison.Ordinal))
        {
            return TimeSpan.Zero;
        }

        var parts = faultPoint[SlowPrefix.Length..].Split(':');
        return parts.Length == 2 && parts[0] == ordinal
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
            ? TimeSpan.FromMilliseconds(milliseconds)
            : TimeSpan.Zero;
    }
}
