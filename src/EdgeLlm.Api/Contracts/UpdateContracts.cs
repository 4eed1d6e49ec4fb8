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
    FeedStatusDto? Feed);

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

/// <summary>
/// The pull feed's freshness, judged when read: <c>state</c> (<c>ok</c>, <c>stale</c>, <c>rollback</c>, or
/// <c>unknown</c> before the first verified index), its <c>code</c> (<c>update_feed_stale</c>,
/// <c>update_feed_rollback</c>; null when fine), since when, why, the last verified channel index and when it was verified.
/// </summary>
public sealed record FeedStatusDto(string State, string? Code, string Message, DateTimeOffset Since, ChannelIndexDto? LastIndex, DateTimeOffset? VerifiedAt);

/// <summary>A publisher's signed channel index: the channel's newest sequence, when that was said and until when it holds.</summary>
public sealed record ChannelIndexDto(string Channel, long Sequence, DateTimeOffset Issued, DateTimeOffset Expires);
