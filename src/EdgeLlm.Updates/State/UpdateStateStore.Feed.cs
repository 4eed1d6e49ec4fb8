using EdgeLlm.Updates.Feeds;

namespace EdgeLlm.Updates.State;

public sealed partial class UpdateStateStore
{
    private const string FeedCollection = "update_feed";

    /// <summary>The device pulls: the staleness clock starts at its first check (before the index is fetched, so a server that never answers cannot stop it).</summary>
    internal void StartWatchingFeed()
    {
        var now = TrustedNow();
        InTransaction(() =>
        {
            var feeds = _database.GetCollection<FeedRecord>(FeedCollection);
            var record = feeds.FindById(FeedRecord.Key) ?? new FeedRecord();
            if (record.WatchingSinceTicks == 0)
            {
                (record.WatchingSinceTicks, record.State, record.StateSinceTicks, record.Code) = (now.UtcTicks, FeedStates.Unknown, now.UtcTicks, null);
                feeds.Upsert(record);
            }
        });
    }

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
