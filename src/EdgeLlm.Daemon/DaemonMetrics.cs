using System.Diagnostics.Metrics;
using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Daemon.Composition;
using EdgeLlm.Storage;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Daemon;

/// <summary>
/// The host's own instruments (meter <c>EdgeLlm.Daemon</c>): background workers restarted and up
/// (<c>edgellm_worker_restarts_total</c>, <c>edgellm_worker_up</c>), and the data disk's free bytes and whether it is
/// full (<c>edgellm_storage_free_bytes</c>, <c>edgellm_storage_full</c>).
/// </summary>
internal static class DaemonMetrics
{
    private static readonly Meter Meter = new("EdgeLlm.Daemon");
    private static readonly Counter<long> Restarts = Meter.CreateCounter<long>("edgellm.worker.restarts", "{restart}", "Background workers started again after they failed, by worker.");
    private static WorkerStates? _workers;
    private static Func<(DataDiskStatus Disk, OutboxStore Outbox)>? _storage;

    static DaemonMetrics()
    {
        Meter.CreateObservableGauge("edgellm.worker.up", WorkersUp, "{worker}", "1 while a background worker runs (or finished its work), 0 while it waits to be restarted, by worker.");
        Meter.CreateObservableGauge("edgellm.storage.free", () => Storage(s => s.Disk.FreeBytes), "By", "Free bytes on the data directory's file system.");
        Meter.CreateObservableGauge("edgellm.storage.full", () => Storage(s => s.Disk.FullSince is null && s.Outbox.DiskFullSince is null ? 0 : 1), "{disk}", "1 while writes fail because the data disk is full.");
    }

    public static void Observe(WorkerStates workers) => Volatile.Write(ref _workers, workers);

    /// <summary>Where the storage gauges read from, resolved at the first collection (once the host runs).</summary>
    public static void Observe(Func<(DataDiskStatus Disk, OutboxStore Outbox)> storage) => Volatile.Write(ref _storage, storage);

    public static void WorkerRestarted(string worker) => Restarts.Add(1, new KeyValuePair<string, object?>("worker", worker));

    private static IEnumerable<Measurement<int>> WorkersUp() =>
        Volatile.Read(ref _workers) is { } workers
            ? workers.Workers.Select(w => new Measurement<int>(w.State == WorkerState.Restarting ? 0 : 1, new KeyValuePair<string, object?>("worker", w.Name)))
            : [];

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
