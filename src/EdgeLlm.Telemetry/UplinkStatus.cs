namespace EdgeLlm.Telemetry;

/// <summary>The MQTT link as <c>/admin/status</c> shows it. Written by the uplink, read by anyone.</summary>
public sealed class UplinkStatus
{
    private readonly Lock _gate = new();
    private volatile Snapshot _current = new(false, null, null, null, null, null);

    /// <param name="Connected">Whether the broker link is up now.</param>
    /// <param name="LastConnected">When the link last came up.</param>
    /// <param name="LastAcknowledged">When the broker last acknowledged a batch.</param>
    /// <param name="LastError">Why the last connection attempt or link failed.</param>
    /// <param name="LastUpdateCheckCommand">When the fleet last asked for an update check over the downlink.</param>
    /// <param name="Broker">The configured broker, <c>host:port</c>; null when the uplink is off.</param>
    public sealed record Snapshot(bool Connected, DateTimeOffset? LastConnected, DateTimeOffset? LastAcknowledged, string? LastError, DateTimeOffset? LastUpdateCheckCommand, string? Broker);

    public Snapshot Current => _current;

    internal void Update(Func<Snapshot, Snapshot> change)
    {
        lock (_gate)
        {
            _current = change(_current);
        }
    }
}
