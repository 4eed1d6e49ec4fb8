namespace EdgeLlm.Telemetry.Outbox;

/// <summary>Which topic a record goes to.</summary>
public enum OutboxStream
{
    /// <summary>Metric snapshots: <c>…/telemetry</c>.</summary>
    Telemetry = 0,

    /// <summary>Things that happened: <c>…/events</c>.</summary>
    Events = 1,
}

/// <summary>One telemetry sample or event waiting in the outbox.</summary>
/// <param name="Seq">Position in the outbox; records are sent in this order.</param>
/// <param name="Id">Unique id (a version-7 GUID), kept through every resend so a consumer can drop duplicates.</param>
/// <param name="Stream">Topic it goes to.</param>
/// <param name="Kind">What it is, e.g. <c>metrics</c>, <c>model.activated</c>, <c>outbox.dropped</c>.</param>
/// <param name="Created">When it was written.</param>
/// <param name="Data">Its fields as one JSON object.</param>
public sealed record OutboxRecord(long Seq, string Id, OutboxStream Stream, string Kind, DateTimeOffset Created, string Data);

/// <summary>The outbox at a glance, for <c>/admin/status</c> and the outbox gauges.</summary>
/// <param name="Records">Records waiting.</param>
/// <param name="Bytes">Their size as counted against <c>Telemetry:OutboxMaxBytes</c>.</param>
/// <param name="OldestCreated">When the oldest waiting record was written; null when empty.</param>
/// <param name="DroppedForSize">Records dropped because the outbox was full, since it was created.</param>
/// <param name="DroppedForAge">Records dropped because they outlived <c>Telemetry:OutboxMaxAge</c>, since it was created.</param>
/// <param name="DropsUnreported">Dropped records not yet reported to the fleet in an <c>outbox.dropped</c> event.</param>
/// <param name="DroppedDiskFull">Records dropped unwritten because the disk was full, since the process started (a full disk cannot keep this count).</param>
/// <param name="DiskFullSince">Since when appends fail for a full disk; null once one succeeds again.</param>
public sealed record OutboxState(
    long Records, long Bytes, DateTimeOffset? OldestCreated, long DroppedForSize, long DroppedForAge, long DropsUnreported, long DroppedDiskFull = 0, DateTimeOffset? DiskFullSince = null);
