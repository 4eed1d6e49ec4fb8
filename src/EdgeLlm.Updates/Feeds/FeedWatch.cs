using System.Globalization;

namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// The feed's state machine, free of I/O so tests drive it with any clock. Each check is observed (a verified index,
/// or why there was none); the state follows from what was observed and the time: <c>rollback</c> while the last
/// index seen is older (in sequence or issue time) than one seen before, else <c>stale</c> once the newest index
/// expired or was issued longer than <c>Updates:MaxFeedAge</c> ago (or, with none ever, that long after watching
/// began), else <c>ok</c>.
/// </summary>
internal static class FeedWatch
{
    /// <summary>Records one check; true when <paramref name="index"/> is trusted as the feed's newest word (not a rollback).</summary>
    public static bool Observe(FeedRecord record, ChannelIndex? index, string? problem, DateTimeOffset now)
    {
        if (record.WatchingSinceTicks == 0)
        {
            record.WatchingSinceTicks = now.UtcTicks;
        }

        record.LastProblem = index is null ? problem : null;
        if (index is null)
        {
            return false;
        }

        var highest = record.Highest.FirstOrDefault(h => h.Channel == index.Channel);
        if (highest is not null && (index.Sequence < highest.Sequence || index.Issued.UtcTicks < highest.IssuedTicks))
        {
            record.RolledBack = FeedRecord.IndexRecord.Of(index);
            return false;
        }

        if (highest is null)
        {
            record.Highest.Add(FeedRecord.IndexRecord.Of(index));
        }
        else
        {
            (highest.Sequence, highest.IssuedTicks, highest.ExpiresTicks) = (index.Sequence, index.Issued.UtcTicks, index.Expires.UtcTicks);
        }

        record.LastIndex = FeedRecord.IndexRecord.Of(index);
        record.VerifiedAtTicks = now.UtcTicks;
        record.RolledBack = null;
        return true;
    }

    /// <summary>The state at <paramref name="now"/>, its code (null when fine) and a sentence for the operator.</summary>
    public static (string State, string? Code, string Message) Evaluate(FeedRecord record, DateTimeOffset now, TimeSpan maxAge)
    {
        var lastCheck = record.LastProblem is { } problem ? $" The last check found no verified index: {problem}" : "";
        if (record.RolledBack is { } back)
        {
            var highest = record.Highest.First(h => h.Channel == back.Channel);
            return (FeedStates.Rollback, FeedErrors.Rollback, Invariant(
                $"The feed served channel '{back.Channel}' index sequence {back.Sequence} issued {FeedRecord.At(back.IssuedTicks):O}, older than sequence {highest.Sequence} issued {FeedRecord.At(highest.IssuedTicks):O} seen before."));
        }

        if (record.LastIndex is not { } last)
        {
            var since = FeedRecord.At(record.WatchingSinceTicks);
            return now - since >= maxAge
                ? (FeedStates.Stale, FeedErrors.Stale, Invariant($"No channel index has verified since the device began watching at {since:O}.{lastCheck}"))
                : (FeedStates.Unknown, null, Invariant($"No channel index has verified yet.{lastCheck}"));
        }

        var (issued, expires) = (FeedRecord.At(last.IssuedTicks), FeedRecord.At(last.ExpiresTicks));
        if (expires <= now)
        {
            return (FeedStates.Stale, FeedErrors.Stale, Invariant($"The channel index (sequence {last.Sequence}, issued {issued:O}) expired at {expires:O}.{lastCheck}"));
        }

        if (now - issued >= maxAge)
        {
            return (FeedStates.Stale, FeedErrors.Stale,
                Invariant($"The newest channel index (sequence {last.Sequence}) was issued at {issued:O}, longer ago than Updates:MaxFeedAge ({maxAge}).{lastCheck}"));
        }

        return (FeedStates.Ok, null, Invariant($"Channel '{last.Channel}' index sequence {last.Sequence}, issued {issued:O}, valid until {expires:O}."));
    }

    /// <summary>The next moment after <paramref name="now"/> at which the state would change with nothing new observed; null when none.</summary>
    public static DateTimeOffset? NextChange(FeedRecord record, DateTimeOffset now, TimeSpan maxAge)
    {
        if (record.RolledBack is not null || record.WatchingSinceTicks == 0)
        {
            return null;
        }

        DateTimeOffset[] candidates = record.LastIndex is { } last
            ? [FeedRecord.At(last.ExpiresTicks), FeedRecord.At(last.IssuedTicks) + maxAge]
            : [FeedRecord.At(record.WatchingSinceTicks) + maxAge];
        return candidates.Where(c => c > now).Order().Cast<DateTimeOffset?>().FirstOrDefault();
    }

    /// <summary>
    /// Since when the feed has been in <paramref name="current"/> (its state at <paramref name="now"/>): the recorded moment
    /// when that is the state recorded, else the moment time alone moved it there (an index expiring or growing too old
    /// since the recorded state began), else <paramref name="now"/>.
    /// </summary>
    public static DateTimeOffset Since(FeedRecord record, string current, DateTimeOffset now, TimeSpan maxAge)
    {
        var recorded = FeedRecord.At(record.StateSinceTicks);
        if (current == record.State)
        {
            return recorded;
        }

        return NextChange(record, recorded, maxAge) is { } changed && changed <= now ? changed : now;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
