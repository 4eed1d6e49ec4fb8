namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// What the device knows about its update feed, kept in <c>state.db</c> so a restart neither forgets an index it
/// saw (rollback protection) nor restarts the staleness clock. Times are UTC ticks.
/// </summary>
internal sealed class FeedRecord
{
    public const string Key = "feed";

    public string Id { get; set; } = Key;

    /// <summary>The last evaluated state (<see cref="FeedStates"/>); a change is reported once.</summary>
    public string State { get; set; } = FeedStates.Unknown;

    public string? Code { get; set; }

    public string Message { get; set; } = "";

    public long StateSinceTicks { get; set; }

    /// <summary>When the device started watching (its first check): the staleness clock of a feed that never sent a verified index.</summary>
    public long WatchingSinceTicks { get; set; }

    /// <summary>The newest verified index that was not a rollback.</summary>
    public IndexRecord? LastIndex { get; set; }

    public long VerifiedAtTicks { get; set; }

    /// <summary>A verified index older than one seen before, until a newer one supersedes it.</summary>
    public IndexRecord? RolledBack { get; set; }

    /// <summary>Per channel, the highest sequence and the latest issue time ever verified.</summary>
    public List<IndexRecord> Highest { get; set; } = [];

    /// <summary>Why the last check had no verified index; null when it had one.</summary>
    public string? LastProblem { get; set; }

    /// <summary>The pull URL whose manifest last verified, and that manifest's channel: the only channel an index from there may name.</summary>
    public string? PublishedUrl { get; set; }

    /// <inheritdoc cref="PublishedUrl"/>
    public string? PublishedChannel { get; set; }

    public sealed class IndexRecord
    {
        public string Channel { get; set; } = "";

        public long Sequence { get; set; }

        public long IssuedTicks { get; set; }

        public long ExpiresTicks { get; set; }

        public static IndexRecord Of(ChannelIndex index) =>
            new() { Channel = index.Channel, Sequence = index.Sequence, IssuedTicks = index.Issued.UtcTicks, ExpiresTicks = index.Expires.UtcTicks };

        public ChannelIndex ToIndex() => new(Channel, Sequence, At(IssuedTicks), At(ExpiresTicks));
    }

    public static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);
}

/// <summary>The states of the update feed, as <c>/admin/status</c> shows them.</summary>
public static class FeedStates
{
    /// <summary>Pulling, but no verified index yet and not yet overdue.</summary>
    public const string Unknown = "unknown";

    /// <summary>The newest verified index is current: issued within <c>Updates:MaxFeedAge</c> and not expired.</summary>
    public const string Ok = "ok";

    /// <summary>The index expired, or none issued within <c>Updates:MaxFeedAge</c> was verified: the feed may be frozen.</summary>
    public const string Stale = "stale";

    /// <summary>The feed served an index older than one already seen: a replay of old metadata.</summary>
    public const string Rollback = "rollback";
}

/// <summary>Stable codes of the feed's problems.</summary>
public static class FeedErrors
{
    public const string Stale = "update_feed_stale";
    public const string Rollback = "update_feed_rollback";
    public const string IndexInvalid = "channel_index_invalid";
    public const string IndexMissing = "channel_index_missing";
}
