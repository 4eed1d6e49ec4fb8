using System.Diagnostics.Metrics;
using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Daemon.Composition;
using EdgeLlm.Storage;
using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.Daemon;

/// <summary>
/// The host's own instruments (meter <c>EdgeLlm.Daemon</c>): background workers restarted and up
/// (<c>edgellm_worker_restarts_total</c>, <c>edgellm_worker_up</c>), the data disk's free and total bytes and whether
/// it is full (<c>edgellm_storage_free_bytes</c>, <c>edgellm_storage_total_bytes</c>, <c>edgellm_storage_full</c>),
/// and what the bridge between updates and telemetry sees: update events by kind (<c>edgellm_update_events_total</c>)
/// and the pull feed's state as <c>/admin</c> judges it (<c>edgellm_update_feed_state</c>).
/// </summary>
internal static class DaemonMetrics
{
    // The kinds of update event, as the fleet's update.* events name them.
    private static readonly string[] UpdateEventKinds = ["installed", "refused", "failed", "rolled_back", "interrupted", "promoted", "feed_stale", "feed_rollback", "feed_ok"];

    private static readonly string[] FeedStates = ["ok", "stale", "rollback", "unknown"];
    private static readonly Meter Meter = new("EdgeLlm.Daemon");
    private static readonly Counter<long> Restarts = Meter.CreateCounter<long>("edgellm.worker.restarts", "{restart}", "Background workers started again after they failed, by worker.");
    private static readonly Counter<long> UpdateEvents = Meter.CreateCounter<long>("edgellm.update.events", "{event}", "Update events, by event: installed, refused, failed, rolled_back, interrupted, promoted, feed_stale, feed_rollback, feed_ok.");
    private static WorkerStates? _workers;
    private static Func<(DataDiskStatus Disk, OutboxStore Outbox)>? _storage;
    private static Func<FeedMonitor>? _feed;

    static DaemonMetrics()
    {
        Meter.CreateObservableGauge("edgellm.worker.up", WorkersUp, "{worker}", "1 while a background worker runs (or finished its work), 0 while it waits to be restarted, by worker.");
        Meter.CreateObservableGauge("edgellm.storage.free", () => Storage(s => s.Disk.FreeBytes), "By", "Free bytes on the data directory's file system.");
        Meter.CreateObservableGauge("edgellm.storage.total", () => Storage(s => s.Disk.TotalBytes), "By", "Size in bytes of the data directory's file system.");
        Meter.CreateObservableGauge("edgellm.storage.full", () => Storage(s => s.Disk.FullSince is null && s.Outbox.DiskFullSince is null ? 0 : 1), "{disk}", "1 while writes fail because the data disk is full.");
        Meter.CreateObservableGauge("edgellm.update.feed.state", FeedState, "{feed}", "1 for the pull feed's state now (ok, stale, rollback, unknown), 0 for the others; absent when Updates:PullUrl is unset.");
    }

    public static void Observe(WorkerStates workers) => Volatile.Write(ref _workers, workers);

    /// <summary>Where the storage gauges read from, resolved at the first collection (once the host runs).</summary>
    public static void Observe(Func<(DataDiskStatus Disk, OutboxStore Outbox)> storage) => Volatile.Write(ref _storage, storage);

    /// <summary>Where the feed gauge reads from, resolved at the first collection.</summary>
    public static void Observe(Func<FeedMonitor> feed) => Volatile.Write(ref _feed, feed);

    public static void WorkerRestarted(string worker) => Restarts.Add(1, new KeyValuePair<string, object?>("worker", worker));

    /// <summary>
    /// Exports every update event kind at 0, so the first failure is an increase that <c>increase()</c> and an alert
    /// can see. Called once the host runs (a measurement made before the exporter listens is lost).
    /// </summary>
    public static void UpdateEventsBaseline()
    {
        foreach (var kind in UpdateEventKinds)
        {
            UpdateEvents.Add(0, Event(kind));
        }
    }

    public static void UpdateEventRecorded(string kind) => UpdateEvents.Add(1, Event(kind));

    private static KeyValuePair<string, object?> Event(string kind) => new("event", kind);

    private static IEnumerable<Measurement<int>> WorkersUp() =>
        Volatile.Read(ref _workers) is { } workers
            ? workers.Workers.Select(w => new Measurement<int>(w.State == WorkerState.Restarting ? 0 : 1, new KeyValuePair<string, object?>("worker", w.Name)))
            : [];

    private static IEnumerable<Measurement<int>> FeedState() =>
        Feed() is { } feed ? FeedStates.Select(s => new Measurement<int>(s == feed.State ? 1 : 0, new KeyValuePair<string, object?>("state", s))) : [];

    private static FeedStatus? Feed()
    {
        try
        {
            return Volatile.Read(ref _feed) is { } feed ? feed().Feed() : null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    private static IEnumerable<Measurement<long>> Storage(Func<(DataDiskStatus.Snapshot Disk, OutboxState Outbox), long> value)
    {
        if (Volatile.Read(ref _storage) is not { } source)
        {
            return [];
        }

        try
        {
            var (disk, outbox) = source();
            return [new Measurement<long>(value((disk.Read(), outbox.State())))];
        }
        catch (ObjectDisposedException)
        {
            return [];
        }
    }
}
