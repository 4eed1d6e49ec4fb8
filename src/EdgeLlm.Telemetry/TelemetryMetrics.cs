using System.Diagnostics.Metrics;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Telemetry;

/// <summary>The telemetry part's own instruments (meter <c>EdgeLlm.Telemetry</c>): the outbox's backlog, drops and age, and what the uplink sent.</summary>
internal static class TelemetryMetrics
{
    public const string MeterName = "EdgeLlm.Telemetry";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("edgellm.outbox.dropped", "{record}", "Records dropped unsent because the outbox was full (reason=size), they were too old (reason=age) or the disk was full (reason=disk_full).");
    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("edgellm.outbox.sent", "{record}", "Records the broker acknowledged.");
    private static readonly Counter<long> SentBytes = Meter.CreateCounter<long>("edgellm.uplink.sent", "By", "Payload bytes the broker acknowledged.");
    private static readonly Counter<long> Connects = Meter.CreateCounter<long>("edgellm.uplink.connects", "{attempt}", "Connection attempts to the broker, by outcome.");
    private static OutboxStore? _observed;

    static TelemetryMetrics()
    {
        Meter.CreateObservableGauge("edgellm.outbox.backlog", () => Observed(s => s.Records), "{record}", "Records waiting in the outbox.");
        Meter.CreateObservableGauge("edgellm.outbox.size", () => Observed(s => s.Bytes), "By", "Bytes of records waiting in the outbox.");
        Meter.CreateObservableGauge("edgellm.outbox.age", () => Observed(s => s.OldestCreated is { } oldest ? Math.Max(0, (long)(DateTimeOffset.UtcNow - oldest).TotalSeconds) : 0), "s", "Age of the oldest record waiting in the outbox.");
    }

    /// <summary>The outbox the gauges read (the daemon has one).</summary>
    public static void Observe(OutboxStore store) => Volatile.Write(ref _observed, store);

    public static void RecordsDropped(long count, string reason) => Dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public static void BatchSent(int records, int bytes)
    {
        Sent.Add(records);
        SentBytes.Add(bytes);
    }

    public static void ConnectAttempt(bool succeeded) => Connects.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "connected" : "failed"));

    private static IEnumerable<Measurement<long>> Observed(Func<OutboxState, long> value)
    {
        if (Volatile.Read(ref _observed) is not { } store)
        {
            return [];
        }

        try
        {
            return [new Measurement<long>(value(store.State()))];
        }
        catch (ObjectDisposedException)
        {
            return [];
        }
    }
}
