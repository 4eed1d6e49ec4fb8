using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Hosting;

/// <summary>
/// When this run of the daemon started and whether it became ready, so the last log line tells the truth: "failed to
/// start" only for a daemon that was never ready; one that was says it stopped after running, and for how long.
/// </summary>
internal sealed class DaemonRun(TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private int _ready;

    /// <summary>True once the daemon was ready (models loaded and probed, server listening).</summary>
    public bool WasReady => Volatile.Read(ref _ready) == 1;

    public void MarkReady() => Volatile.Write(ref _ready, 1);

    /// <summary>An exception ended the run.</summary>
    public void LogFatal(ILogger logger, Exception exception)
    {
        if (WasReady)
        {
            DaemonLog.StoppedAfterRunning(logger, Uptime(), exception);
        }
        else
        {
            DaemonLog.StartFailed(logger, exception);
        }
    }

    /// <summary>The host stopped and the run ends with <paramref name="exitCode"/>.</summary>
    public void LogExit(ILogger logger, int exitCode)
    {
        if (exitCode == 0)
        {
            DaemonLog.StoppedCleanly(logger, Uptime());
        }
        else if (WasReady)
        {
            DaemonLog.StoppedAfterRunningWithExitCode(logger, Uptime(), exitCode);
        }
        else
        {
            DaemonLog.StartFailedWithExitCode(logger, exitCode);
        }
    }

    // Whole seconds: a log line reads "01:02:03", not seven decimals.
    private TimeSpan Uptime() => TimeSpan.FromSeconds(Math.Floor((time.GetUtcNow() - _started).TotalSeconds));
}
