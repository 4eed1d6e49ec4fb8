namespace EdgeLlm.Api.Contracts;

/// <summary>
/// <c>GET /admin/status</c>: versions, uptime, the models and their queues, the backend and its devices (null
/// while loading), the telemetry outbox, the MQTT link, the last update check (null without updates), the
/// background workers under supervision, the data disk, and the models' memory budget.
/// </summary>
public sealed record AdminStatusDto(
    VersionsDto Versions,
    DateTimeOffset StartedAt,
    long UptimeSeconds,
    bool Ready,
    IReadOnlyList<ModelStatusDto> Models,
    BackendStatusDto? Backend,
    OutboxStatusDto Outbox,
    UplinkStatusDto Uplink,
    UpdateChecksDto? Updates,
    IReadOnlyList<WorkerStatusDto> Workers,
    StorageStatusDto Storage,
    MemoryStatusDto Memory,
    GuardrailsStatusDto Guardrails);

/// <summary>The guardrail policy in force: its document's version, the tenants with a policy of their own, and the document version of a canary's candidate on trial (null when none).</summary>
public sealed record GuardrailsStatusDto(string PolicyVersion, IReadOnlyList<string> Tenants, string? CandidateVersion);

/// <summary>
/// A supervised background worker: <c>state</c> is running, restarting (waiting out its back-off), completed or stopped,
/// <c>since</c> when; how often it was restarted; its last failure (exception type, message without paths, time).
/// </summary>
public sealed record WorkerStatusDto(string Name, string State, DateTimeOffset Since, long Restarts, string? LastErrorType, string? LastErrorMessage, DateTimeOffset? LastErrorAt);

/// <summary>
/// The data disk: free and total bytes of the file system holding the data directory, since when writes fail because
/// it is full (null while it has room), and the telemetry records dropped because of it.
/// </summary>
public sealed record StorageStatusDto(long FreeBytes, long TotalBytes, DateTimeOffset? FullSince, long OutboxDroppedDiskFull);

public sealed record VersionsDto(string Edgellm, string Dotnet);

/// <summary>
/// A served model, the settings it is served with (its own, else the global ones), and its scheduler's queue;
/// its state (loaded, loading, unloaded or failed), load policy (pinned or on-demand) and role (chat, embedding, guard), its footprint estimated from
/// its GGUF before it loaded, when a request last used it (null before the first), why its last load failed, and its candidate version when a canary rollout
/// loaded one beside it (null otherwise), its prefix reuse and speculation, and the tokens its finished generations produced since it loaded. Architecture, load time and reuse are null while it is not loaded.
/// </summary>
public sealed record ModelStatusDto(
    string Name,
    IReadOnlyList<string> Aliases,
    string? Architecture,
    int ContextSize,
    int MaxSequences,
    int QueueCapacity,
    DateTimeOffset? LoadedAt,
    int ActiveSequences,
    int Queued,
    long Completed,
    bool Faulted,
    string State,
    FootprintDto Footprint,
    DateTimeOffset? LastUsed,
    string LoadPolicy,
    string Role,
    string? Error,
    CandidateStatusDto? Candidate,
    ReuseStatusDto? Reuse = null,
    long GeneratedTokens = 0);

/// <summary>
/// A loaded model's prompt-prefix reuse and speculation: whether each is on, why the model's memory rules them out
/// when it does (null otherwise), and the prefixes kept now with the KV cells they hold.
/// </summary>
public sealed record ReuseStatusDto(bool PrefixCache, bool Speculation, string? Unavailable, int KeptPrefixes, long KeptCells);

/// <summary>A candidate version loaded beside a model's active one: the file it was loaded from and when.</summary>
public sealed record CandidateStatusDto(string Path, DateTimeOffset LoadedAt);

/// <summary>The memory budget in bytes (host and per GPU) and what the loaded and loading models' footprints take of it.</summary>
public sealed record MemoryStatusDto(long HostBudgetBytes, long HostUsedBytes, IReadOnlyList<long> GpuBudgetBytes, IReadOnlyList<long> GpuUsedBytes);

/// <summary>A model's estimated memory in bytes: weights, KV cache, compute allowance, and their total.</summary>
public sealed record FootprintDto(long WeightsBytes, long KvCacheBytes, long ComputeBytes, long TotalBytes);

public sealed record BackendStatusDto(string Ggml, string LlamaCppCommit, bool GpuOffload, IReadOnlyList<DeviceStatusDto> Devices);

/// <summary>A ggml device; <c>type</c> is cpu, gpu, integratedgpu or accelerator; memory in bytes (0 when the backend reports none).</summary>
public sealed record DeviceStatusDto(string Name, string Description, string Type, long FreeBytes, long TotalBytes);

/// <summary>The store-and-forward outbox: what waits, its age in seconds, and what was dropped for size or age.</summary>
public sealed record OutboxStatusDto(long Records, long Bytes, long? OldestAgeSeconds, long DroppedSize, long DroppedAge, long DropsUnreported);

public sealed record UplinkStatusDto(
    string? Broker,
    bool Connected,
    DateTimeOffset? LastConnected,
    DateTimeOffset? LastAcknowledged,
    string? LastError,
    DateTimeOffset? LastUpdateCheckCommand);

/// <summary>The last update check (its outcome), the last update error, and the pull feed's freshness (null when the device does not pull).</summary>
public sealed record UpdateChecksDto(UpdateCheckDto? LastCheck, UpdateNoteDto? LastError, FeedStatusDto? Feed);

public sealed record UpdateCheckDto(DateTimeOffset At, string Outcome, string Message);
