using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.Api.Contracts;

/// <summary>
/// <c>GET /admin/updates</c>: what is installed, what each model is served from right now (<c>serving</c>: name →
/// file, from the running registry), what happened, what went wrong last, and the pull feed's freshness
/// (<c>feed</c>, null when the device does not pull).
/// </summary>
public sealed record UpdateStatusDto(
    IReadOnlyList<InstalledItemDto> Installed,
    IReadOnlyDictionary<string, string> Serving,
    InstallPlanDto? InProgress,
    IReadOnlyList<UpdateEventDto> History,
    UpdateNoteDto? LastError,
    UpdateNoteDto? LastCheck,
    IReadOnlyDictionary<string, long> Channels,
    IReadOnlyList<string> TrustedKeys,
    FeedStatus? Feed);

/// <summary>An installed model or config set. <c>serving_path</c> is the file the running daemon serves the model from (null while loading).</summary>
public sealed record InstalledItemDto(string Kind, string Name, InstalledVersionDto? Active, InstalledVersionDto? Previous, bool Confirmed, int UnconfirmedStarts, string? ServingPath);

public sealed record InstalledVersionDto(string Version, string Path, string? Bundle, string? Channel, long Sequence, DateTimeOffset ActivatedAt);

public sealed record InstallPlanDto(string Id, string Source, string Step, string? Bundle, string? Channel, long Sequence, DateTimeOffset StartedAt);

public sealed record UpdateEventDto(DateTimeOffset At, string Event, string? Bundle, string? Channel, long Sequence, string? Code, string Message);

public sealed record UpdateNoteDto(DateTimeOffset At, string Code, string Message);

/// <summary>The answer to an upload or a check: <c>installed</c>, or what was found.</summary>
public sealed record UpdateResultDto(string Outcome, string? Bundle, string? Channel, long? Sequence, IReadOnlyList<string>? Items);

/// <summary>The answer to <c>POST /admin/models/{name}/rollback</c>.</summary>
public sealed record RollbackResultDto(string Model, string From, string To);
