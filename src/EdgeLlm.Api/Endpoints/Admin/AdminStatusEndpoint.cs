using System.Diagnostics;
using System.Reflection;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Storage;
using EdgeLlm.Telemetry;
using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Updates.Feeds;
using EdgeLlm.Updates.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary>
/// <c>GET /admin/status</c> (admin scope): versions, uptime, models and their queues, backends and devices, the outbox,
/// the MQTT link, the last update check, the supervised workers, the data disk and the guardrail policy in force.
/// </summary>
internal static class AdminStatusEndpoint
{
    public static Ok<AdminStatusDto> Get(
        ModelRegistry registry,
        ModelResidency residency,
        CandidateModels candidates,
        GgmlBackendRegistry backends,
        OutboxStore outbox,
        UplinkStatus uplink,
        TimeProvider time,
        UpdateStateStore updates,
        FeedMonitor feed,
        IWorkerStatusSource workers,
        DataDiskStatus disk,
        PolicyStore policies)
    {
        var now = time.GetUtcNow();
        var outboxState = outbox.State();
        var started = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime());
        return TypedResults.Ok(new AdminStatusDto(
            new VersionsDto(Version(Assembly.GetEntryAssembly() ?? typeof(AdminStatusEndpoint).Assembly), Environment.Version.ToString()),
            started,
            (long)(now - started).TotalSeconds,
            registry.IsReady,
            [.. registry.Slots.Select(s => Model(s, candidates.Find(s.Name)))],
            registry.IsReady ? Backend(backends.Inventory()) : null,
            Outbox(outboxState, now),
            Uplink(uplink.Current),
            Updates(updates, feed),
            [.. workers.Workers.Select(Worker)],
            Storage(disk.Read(), outboxState),
            Memory(residency.Budget, registry.Slots),
            new GuardrailsStatusDto(policies.Current.Version, [.. policies.Current.Tenants.Keys.Order(StringComparer.Ordinal)], policies.Candidate?.Policies.Version)));
    }

    private static ModelStatusDto Model(ModelSlot slot, LoadedModel? candidate)
    {
        var model = slot.Loaded;
        var queue = model?.Scheduler.Snapshot;
        var settings = slot.Settings;
        return new ModelStatusDto(
            slot.Name, slot.Aliases, model?.Architecture, settings.ContextSize, settings.MaxSequences, settings.QueueCapacity, model?.LoadedAt, queue?.Active ?? 0, queue?.Waiting ?? 0, queue?.Completed ?? 0, queue?.Faulted ?? false,
            ModelStates.Of(slot.State), Footprint(slot.Footprint), slot.LastUsed, slot.Policy.Name(), ModelRoles.Name(slot.Settings.Role), slot.Failure?.Code,
            candidate is null ? null : new CandidateStatusDto(candidate.FilePath, candidate.LoadedAt),
            model?.Scheduler.Reuse is { } reuse ? new ReuseStatusDto(reuse.PrefixCache, reuse.Speculation, reuse.Unavailable, reuse.KeptPrefixes, reuse.KeptCells) : null,
            queue?.GeneratedTokens ?? 0);
    }

    /// <summary>What the loaded and loading models take of the budget, by their estimates.</summary>
    private static MemoryStatusDto Memory(MemoryBudget budget, IReadOnlyList<ModelSlot> slots)
    {
        var held = slots.Where(s => s.State is ModelState.Loaded or ModelState.Loading).Select(s => s.Placement).ToList();
        return new MemoryStatusDto(
            budget.HostBytes,
            held.Sum(p => p.HostBytes),
            budget.GpuBytes,
            [.. budget.GpuBytes.Select((_, gpu) => held.Where(p => p.Gpu == gpu).Sum(p => p.GpuBytes))]);
    }

    internal static FootprintDto Footprint(ModelFootprint footprint) =>
        new(footprint.WeightsBytes, footprint.KvCacheBytes, footprint.ComputeBytes, footprint.TotalBytes);

    private static BackendStatusDto Backend(BackendInventory inventory) => new(
        inventory.GgmlVersion,
        inventory.GgmlCommit,
        inventory.GpuOffload,
        [.. inventory.Devices.Select(d => new DeviceStatusDto(d.Name, d.Description, d.Type.ToString().ToLowerInvariant(), d.FreeBytes, d.TotalBytes))]);

    private static OutboxStatusDto Outbox(OutboxState state, DateTimeOffset now) => new(
        state.Records,
        state.Bytes,
        state.OldestCreated is { } oldest ? (long)(now - oldest).TotalSeconds : null,
        state.DroppedForSize,
        state.DroppedForAge,
        state.DropsUnreported);

    private static WorkerStatusDto Worker(WorkerStatus worker) => new(
        worker.Name, worker.State.ToString().ToLowerInvariant(), worker.Since, worker.Restarts, worker.LastErrorType, worker.LastErrorMessage, worker.LastErrorAt);

    /// <summary>The disk is full since the earlier of what the API's writes and the outbox's met.</summary>
    private static StorageStatusDto Storage(DataDiskStatus.Snapshot disk, OutboxState outbox)
    {
        var fullSince = (disk.FullSince, outbox.DiskFullSince) switch
        {
            ({ } api, { } telemetry) => api < telemetry ? api : telemetry,
            (var api, var telemetry) => api ?? telemetry,
        };
        return new StorageStatusDto(disk.FreeBytes, disk.TotalBytes, fullSince, outbox.DroppedDiskFull);
    }

    private static UplinkStatusDto Uplink(UplinkStatus.Snapshot link) =>
        new(link.Broker, link.Connected, link.LastConnected, link.LastAcknowledged, link.LastError, link.LastUpdateCheckCommand);

    private static UpdateChecksDto Updates(UpdateStateStore updates, FeedMonitor feed) => new(
        updates.LastCheck() is { } check ? new UpdateCheckDto(new DateTimeOffset(check.At, TimeSpan.Zero), check.Code, check.Message) : null,
        updates.LastError() is { } error ? new UpdateNoteDto(new DateTimeOffset(error.At, TimeSpan.Zero), error.Code, error.Message) : null,
        UpdatesEndpoints.Feed(feed.Feed()));

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
