using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.Updates.State;

public sealed partial class UpdateStateStore
{
    private const string FeedCollection = "update_feed";

    /// <summary>The update feed's last evaluated state; null when this device does not pull.</summary>
    public FeedStatus? Feed() => Read(() => _database.GetCollection<FeedRecord>(FeedCollection).FindById(FeedRecord.Key) is { WatchingSinceTicks: > 0 } record
        ? new FeedStatus(record.State, record.Code, record.Message, FeedRecord.At(record.StateSinceTicks), record.LastIndex?.ToIndex(),
            record.LastIndex is null ? null : FeedRecord.At(record.VerifiedAtTicks))
        : null);

    /// <summary>The device no longer pulls: no feed state is shown. The indexes seen are kept, so rollback protection survives.</summary>
    public void StopWatchingFeed() => InTransaction(() =>
    {
        var feeds = _database.GetCollection<FeedRecord>(FeedCollection);
        if (feeds.FindById(FeedRecord.Key) is { } record)
        {
            (record.WatchingSinceTicks, record.State, record.Code, record.LastProblem) = (0, FeedStates.Unknown, null, null);
            feeds.Upsert(record);
        }
    });

    internal FeedRecord ReadFeedRecord() => Read(() => _database.GetCollection<FeedRecord>(FeedCollection).FindById(FeedRecord.Key) ?? new FeedRecord());

    /// <summary>Saves the feed's state, with the event of a state change and the index's issue time as a trusted time, in one transaction.</summary>
    internal void SaveFeed(FeedRecord record, UpdateEvent? change, DateTimeOffset? trustedTime) => InTransaction(() =>
    {
        _database.GetCollection<FeedRecord>(FeedCollection).Upsert(record);
        if (change is not null)
        {
            AddEvent(change);
        }

        if (trustedTime is { } time && time.UtcTicks > (_clock.FindById(TrustedClock.Key)?.NewestTicks ?? 0))
        {
            _clock.Upsert(new TrustedClock { Id = TrustedClock.Key, NewestTicks = time.UtcTicks });
        }
    });
}
