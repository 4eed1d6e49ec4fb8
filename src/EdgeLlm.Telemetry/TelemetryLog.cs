using Microsoft.Extensions.Logging;

namespace EdgeLlm.Telemetry;

/// <summary>Log events of telemetry: event ids 6000-6999. Broker passwords and command payloads are never logged.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(6000, LogLevel.Information, "Connected to the MQTT broker {Host}:{Port} as {ClientId}")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId);

    [LoggerMessage(6001, LogLevel.Warning, "Could not reach the MQTT broker {Host}:{Port} (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, int attempt, long delayMs, string reason);

    [LoggerMessage(6002, LogLevel.Warning, "Lost the MQTT link; records stay in the outbox: {Reason}")]
    public static partial void LinkLost(ILogger logger, string reason);

    [LoggerMessage(6003, LogLevel.Debug, "Drained {Records} records in {Batches} batches since connecting")]
    public static partial void Drained(ILogger logger, long records, long batches);

    [LoggerMessage(6004, LogLevel.Warning, "The outbox dropped {Count} records older than {MaxAge}")]
    public static partial void DroppedExpired(ILogger logger, long count, TimeSpan maxAge);

    [LoggerMessage(6005, LogLevel.Information, "Downlink update-check from the fleet: {Outcome}")]
    public static partial void UpdateCheckCommand(ILogger logger, string outcome);

    [LoggerMessage(6006, LogLevel.Warning, "Ignored a downlink message on {Topic} ({Bytes} bytes): {Reason}")]
    public static partial void CommandIgnored(ILogger logger, string topic, int bytes, string reason);

    [LoggerMessage(6007, LogLevel.Information, "The MQTT uplink is off: Telemetry:BrokerUri is not set; records accumulate in the outbox, bounded")]
    public static partial void UplinkOff(ILogger logger);

    [LoggerMessage(6008, LogLevel.Error, "Could not write the metric snapshot to the outbox")]
    public static partial void SnapshotFailed(ILogger logger, Exception exception);

    [LoggerMessage(6009, LogLevel.Debug, "Still no MQTT broker (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    public static partial void ConnectRetry(ILogger logger, int attempt, long delayMs, string reason);

    [LoggerMessage(6010, LogLevel.Error, "The telemetry uplink failed; it reconnects after the back-off, records stay in the outbox")]
    public static partial void UplinkFaulted(ILogger logger, Exception exception);
}
