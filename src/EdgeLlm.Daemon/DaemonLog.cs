using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon;

/// <summary>Log events of the host: event ids 1000-1999.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(1000, LogLevel.Information, "EdgeLlm {Version} starting: data directory {DataDirectory}, listening on {Urls}")]
    public static partial void Starting(ILogger logger, string version, string dataDirectory, string urls);

    [LoggerMessage(1001, LogLevel.Information, "Ready: every model is loaded and answered; notified systemd {Notified}")]
    public static partial void Ready(ILogger logger, bool notified);

    [LoggerMessage(1002, LogLevel.Warning, "Skipping a systemd watchdog ping: scheduler loop of model {ModelName} last beat {SecondsAgo:F1} s ago")]
    public static partial void WatchdogWithheld(ILogger logger, string modelName, double secondsAgo);

    [LoggerMessage(1003, LogLevel.Critical, "The daemon failed to start")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(1006, LogLevel.Critical, "The daemon failed to start: it stopped with exit code {ExitCode} before it was ready")]
    public static partial void StartFailedWithExitCode(ILogger logger, int exitCode);

    [LoggerMessage(1007, LogLevel.Critical, "The daemon stopped after running for {Uptime}: a fatal error")]
    public static partial void StoppedAfterRunning(ILogger logger, TimeSpan uptime, Exception exception);

    [LoggerMessage(1008, LogLevel.Critical, "The daemon stopped after running for {Uptime} with exit code {ExitCode}")]
    public static partial void StoppedAfterRunningWithExitCode(ILogger logger, TimeSpan uptime, int exitCode);

    [LoggerMessage(1009, LogLevel.Information, "The daemon stopped cleanly after running for {Uptime}")]
    public static partial void StoppedCleanly(ILogger logger, TimeSpan uptime);

    [LoggerMessage(1010, LogLevel.Information, "Stopping: readyz is false and new requests get 503; waiting up to {ShutdownTimeout} for {InFlight} requests in flight")]
    public static partial void Draining(ILogger logger, TimeSpan shutdownTimeout, int inFlight);

    [LoggerMessage(1011, LogLevel.Warning, "The shutdown timeout passed with {InFlight} requests in flight; ending their generations with server_shutting_down")]
    public static partial void EndingGenerations(ILogger logger, int inFlight);

    [LoggerMessage(1012, LogLevel.Information, "Every request finished; stopping the server")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(1013, LogLevel.Error, "Background worker {Worker} failed ({ExceptionType}), restart {Restart} in {Delay}")]
    public static partial void WorkerFailed(ILogger logger, string worker, string exceptionType, long restart, TimeSpan delay, Exception exception);

    [LoggerMessage(1014, LogLevel.Information, "Background worker {Worker} started again (restart {Restart})")]
    public static partial void WorkerRestarted(ILogger logger, string worker, long restart);

    [LoggerMessage(1004, LogLevel.Information, "Update check asked for by {Origin}: {Outcome}")]
    public static partial void UpdateCheckRequested(ILogger logger, string origin, string outcome);

    [LoggerMessage(1005, LogLevel.Warning, "Update check asked for by {Origin} failed")]
    public static partial void UpdateCheckFailed(ILogger logger, string origin, Exception exception);
}
