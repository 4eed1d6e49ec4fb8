using Microsoft.Extensions.Logging;

namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// The downlink. Only <c>…/cmd/update-check</c> does anything (asks for an update check, at most once per
/// <c>UpdateCheckMinInterval</c>); everything else on the command topic, and anything oversized, is
/// ignored and logged. The payload is never parsed or logged: the check needs no argument.
/// </summary>
internal sealed class CommandDispatcher(
    MqttTopics topics,
    TelemetryOptions options,
    IUpdateCheckTrigger? trigger,
    UplinkStatus status,
    TimeProvider time,
    ILogger logger)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastAccepted;

    /// <summary>What happened to one downlink message.</summary>
    public enum Outcome
    {
        UpdateCheckRequested,
        UpdateCheckThrottled,
        NoUpdateChecker,
        Oversized,
        UnknownCommand,
    }

    public Outcome Handle(string topic, int payloadBytes)
    {
        // A topic is attacker-controlled too; only its length is logged beyond this cap.
        var shownTopic = topic.Length > 256 ? topic[..256] + "…" : topic;
        if (payloadBytes > options.MaxCommandBytes)
        {
            TelemetryLog.CommandIgnored(logger, shownTopic, payloadBytes, $"larger than Telemetry:MaxCommandBytes ({options.MaxCommandBytes})");
            return Outcome.Oversized;
        }

        if (!string.Equals(topic, topics.UpdateCheck, StringComparison.Ordinal))
        {
            TelemetryLog.CommandIgnored(logger, shownTopic, payloadBytes, "not a known command");
            return Outcome.UnknownCommand;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_lastAccepted is { } last && now - last < options.UpdateCheckMinInterval)
            {
                TelemetryLog.UpdateCheckCommand(logger, "ignored: another arrived less than Telemetry:UpdateCheckMinInterval ago");
                return Outcome.UpdateCheckThrottled;
            }

            _lastAccepted = now;
        }

        status.Update(s => s with { LastUpdateCheckCommand = now });
        if (trigger is null)
        {
            TelemetryLog.UpdateCheckCommand(logger, "ignored: nothing on this daemon runs update checks yet");
            return Outcome.NoUpdateChecker;
        }

        trigger.RequestUpdateCheck("mqtt");
        TelemetryLog.UpdateCheckCommand(logger, "update check requested");
        return Outcome.UpdateCheckRequested;
    }
}
