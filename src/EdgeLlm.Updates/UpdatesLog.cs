using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates;

/// <summary>Log events of signed updates: event ids 5000-5999.</summary>
internal static partial class UpdatesLog
{
    [LoggerMessage(5000, LogLevel.Warning, "A bundle from {Source} was refused: {Code}: {Reason}")]
    public static partial void Refused(ILogger logger, string source, string code, string reason);

    [LoggerMessage(5001, LogLevel.Information, "Bundle {Bundle} (channel {Channel}, sequence {Sequence}) is activated")]
    public static partial void Activated(ILogger logger, string bundle, string channel, long sequence);

    [LoggerMessage(5002, LogLevel.Error, "Bundle {Bundle} did not take: {Code}: {Reason}")]
    public static partial void InstallFailed(ILogger logger, string bundle, string code, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "An install interrupted at step {Step} was rolled back; {Bundle} was not activated")]
    public static partial void InterruptedRolledBack(ILogger logger, string step, string? bundle);

    [LoggerMessage(5004, LogLevel.Error, "{Kind} {Name} {Version} did not reach confirmation in {Starts} start-ups; going back to {PreviousVersion}")]
    public static partial void CrashLoopRollBack(ILogger logger, string kind, string name, string version, int starts, string previousVersion);

    [LoggerMessage(5005, LogLevel.Information, "{Kind} {Name} {Version} served through its grace period and is confirmed")]
    public static partial void Confirmed(ILogger logger, string kind, string name, string version);

    [LoggerMessage(5006, LogLevel.Information, "Removed {Path} ({Bytes} bytes): {Why}")]
    public static partial void Collected(ILogger logger, string path, long bytes, string why);

    [LoggerMessage(5007, LogLevel.Warning, "Update check at {Host} failed: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string host, string reason);

    [LoggerMessage(5008, LogLevel.Information, "Operator rolled back model {Name} from {Version} to {PreviousVersion}")]
    public static partial void OperatorRollBack(ILogger logger, string name, string version, string previousVersion);

    [LoggerMessage(5009, LogLevel.Error, "Processing {Entry} from the drop folder failed")]
    public static partial void IncomingFailed(ILogger logger, string entry, Exception exception);

    [LoggerMessage(5010, LogLevel.Warning, "Trusted key problem: {Problem}")]
    public static partial void TrustedKeyProblem(ILogger logger, string problem);

    [LoggerMessage(5011, LogLevel.Warning, "Daemon release {Version} is current (was {Previous}); restarting into it")]
    public static partial void ReleaseActivated(ILogger logger, string version, string previous);

    [LoggerMessage(5012, LogLevel.Error, "Daemon release {Version} never came up; the service guard went back to the previous release")]
    public static partial void ReleaseRolledBack(ILogger logger, string version);

    [LoggerMessage(5013, LogLevel.Warning, "Model {Name} {Version} was already switched in when its bundle failed and stays active: {Why}")]
    public static partial void KeptSwitchedIn(ILogger logger, string name, string version, string why);

    [LoggerMessage(5014, LogLevel.Information, "The channel index at {Host} was not accepted: {Problem}")]
    public static partial void FeedIndexRefused(ILogger logger, string host, string problem);

    [LoggerMessage(5015, LogLevel.Warning, "The update feed is stale (update_feed_stale): {Reason}")]
    public static partial void FeedStale(ILogger logger, string reason);

    [LoggerMessage(5016, LogLevel.Warning, "The update feed rolled back (update_feed_rollback): {Reason}")]
    public static partial void FeedRolledBack(ILogger logger, string reason);

    [LoggerMessage(5017, LogLevel.Information, "The update feed is current again: {Reason}")]
    public static partial void FeedFresh(ILogger logger, string reason);

    [LoggerMessage(5018, LogLevel.Information, "Update check at {Host} ended with {Outcome}; the next in {Wait}")]
    public static partial void RetryScheduled(ILogger logger, string host, string outcome, TimeSpan wait);

    [LoggerMessage(5019, LogLevel.Error, "{Kind} {Name} {Version} did not reach confirmation in {Starts} start-ups and has no earlier version; it is withdrawn")]
    public static partial void CrashLoopWithdrawn(ILogger logger, string kind, string name, string version, int starts);

    [LoggerMessage(5020, LogLevel.Information, "Policy {Name} {Version} (document version {PolicyVersion}) is in force, from {Path}")]
    public static partial void PolicyInForce(ILogger logger, string name, string version, string policyVersion, string path);

    [LoggerMessage(5021, LogLevel.Error, "Policy {Name} {Version} at {Path} no longer reads and is not in force: {Refusal}")]
    public static partial void PolicyUnreadable(ILogger logger, string name, string version, string path, string refusal);

    [LoggerMessage(5022, LogLevel.Information, "Operator rolled back policy {Name} from {Version} to {PreviousVersion}")]
    public static partial void PolicyOperatorRollBack(ILogger logger, string name, string version, string previousVersion);
}
