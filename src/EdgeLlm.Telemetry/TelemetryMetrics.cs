using System.Diagnostics.Metrics;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Telemetry;

/// <summary>
/// The telemetry part's own instruments (meter <c>EdgeLlm.Telemetry</c>): the outbox's backlog, drops, age and byte
/// cap, and the uplink's state and what it sent.
/// </summary>
internal static class TelemetryMetrics
{
    public const string MeterName = "EdgeLlm.Telemetry";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("edgellm.outbox.dropped", "{record}", "Records dropped unsent because the outbox was full (reason=size), they were too old (reason=age) or the disk was full (reason=disk_full).");
    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("edgellm.outbox.sent", "{record}", "Records the broker acknowledged.");
    private static readonly Counter<long> SentBytes = Meter.CreateCounter<long>("edgellm.uplink.sent", "By", "Payload bytes the broker acknowledged.");
    private static readonly Counter<long> Connects = Meter.CreateCounter<long>("edgellm.uplink.connects", "{attempt}", "Connection attempts to the broker, by outcome.");
    private static readonly string[] DropReasons = ["size", "age", "disk_full"];
    private static readonly string[] ConnectOutcomes = ["connected", "failed"];
    private static ObservedOutbox? _observed;
    private static UplinkStatus? _uplink;

    static TelemetryMetrics()
    {
        Meter.CreateObservableGauge("edgellm.outbox.backlog", () => Observed(s => s.Records), "{record}", "Records waiting in the outbox.");
        Meter.CreateObservableGauge("edgellm.outbox.size", () => Observed(s => s.Bytes), "By", "Bytes of records waiting in the outbox.");
        Meter.CreateObservableGauge("edgellm.outbox.age", () => Observed(s => s.OldestCreated is { } oldest ? Math.Max(0, (long)(DateTimeOffset.UtcNow - oldest).TotalSeconds) : 0), "s", "Age of the oldest record waiting in the outbox.");
        Meter.CreateObservableGauge("edgellm.outbox.capacity", () => Volatile.Read(ref _observed) is { } o ? [new Measurement<long>(o.MaxBytes)] : Array.Empty<Measurement<long>>(), "By", "Bytes the outbox may hold before it drops its oldest records (Telemetry:OutboxMaxBytes).");
        Meter.CreateObservableGauge("edgellm.uplink.connected", Connected, "{link}", "1 while the broker link is up, 0 while it is down; absent when no broker is configured.");
    }

    /// <summary>The outbox the gauges read (the daemon has one) and its byte cap.</summary>
    public static void Observe(OutboxStore store, long maxBytes) => Volatile.Write(ref _observed, new ObservedOutbox(store, maxBytes));

    /// <summary>The uplink's state the link gauge reads.</summary>
    public static void Observe(UplinkStatus status) => Volatile.Write(ref _uplink, status);

    /// <summary>
    /// Exports the counters at 0 (every drop reason and connection outcome), so the first drop or failed connection
    /// is an increase that <c>rate()</c> and an alert can see. Called once the host runs (a measurement made before the
    /// exporter listens is lost), and again by each host in a process that builds several.
    /// </summary>
    public static void Baseline()
    {
        Sent.Add(0);
        SentBytes.Add(0);
        foreach (var reason in DropReasons)
        {
            Dropped.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var outcome in ConnectOutcomes)
        {
            Connects.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public static void RecordsDropped(long count, string reason) => Dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public static void BatchSent(int records, int bytes)
    {
        Sent.Add(records);
        SentBytes.Add(bytes);
    }

    public static void ConnectAttempt(bool succeeded) => Connects.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "connected" : "failed"));

    private static IEnumerable<Measurement<int>> Connected() =>
        Volatile.Read(ref _uplink)?.Current is { Broker: not null } link ? [new Measurement<int>(link.Connected ? 1 : 0)] : [];

    private static IEnumerable<Measurement<long>> Observed(Func<OutboxState, long> value)
    {
        if (Volatile.Read(ref _observed)?.Store is not { } store)
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

    private sealed record ObservedOutbox(OutboxStore Store, long MaxBytes);
}
