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

    [LoggerMessage(1004, LogLevel.Information, "Update check asked for by {Origin}: {Outcome}")]
    public static partial void UpdateCheckRequested(ILogger logger, string origin, string outcome);

    [LoggerMessage(1005, LogLevel.Warning, "Update check asked for by {Origin} failed")]
    public static partial void UpdateCheckFailed(ILogger logger, string origin, Exception exception);
}
