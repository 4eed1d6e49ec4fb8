using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// Freeze protection for the pull: at every check it fetches the channel index beside the bundle and verifies it
/// against the trusted keys and against the channel of the bundles that pull URL publishes, then moves the feed's
/// state (<see cref="FeedWatch"/>) and reports each change once: a warning in the log and an <c>update.feed_*</c>
/// event (through the update history, which telemetry carries). What <c>/admin</c> shows is judged at the moment
/// it is read (<see cref="Feed"/>), so a check that never comes back cannot keep a frozen feed looking fresh. The
/// device keeps serving whatever the feed says; this only makes a frozen or replayed feed visible.
/// </summary>
public sealed class FeedMonitor(UpdateStateStore state, MinisignVerifier signatures, IOptions<UpdatesOptions> options, ILogger<FeedMonitor> logger)
{
    private TimeSpan MaxAge => options.Value.MaxFeedAge;

    /// <summary>The feed now: what the checks recorded, judged against the trusted time and <c>Updates:MaxFeedAge</c>; null when this device does not pull.</summary>
    public FeedStatus? Feed()
    {
        var record = state.ReadFeedRecord();
        if (options.Value.PullUrl is null || record.WatchingSinceTicks == 0)
        {
            return null;
        }

        var now = state.TrustedNow();
        var (current, code, message) = FeedWatch.Evaluate(record, now, MaxAge);
        return new FeedStatus(current, code, message, FeedWatch.Since(record, current, now, MaxAge), record.LastIndex?.ToIndex(),
            record.LastIndex is null ? null : FeedRecord.At(record.VerifiedAtTicks));
    }

    /// <summary>Fetches the index and checks its signature and form (the first fetch starts the staleness clock); the index, or why there is none.</summary>
    public async Task<FetchedIndex> FetchAsync(BundleDownloader downloader, Uri url, CancellationToken cancellationToken)
    {
        state.StartWatchingFeed();
        try
        {
            return await FetchVerifiedAsync(downloader, url, cancellationToken);
        }
        catch (UpdateRedirectRefusedException ex)
        {
            return new FetchedIndex(null, $"{BundleErrors.RedirectRefused}: {ex.Message}");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
        {
            return new FetchedIndex(null, "the update server did not answer: " + ex.Message);
        }
    }

    /// <summary>The channel of the bundles published at <paramref name="url"/> (its last manifest that verified); null before one did.</summary>
    public string? PublishedChannel(Uri url) => state.ReadFeedRecord() is { PublishedUrl: { } at, PublishedChannel: { } channel } && at == url.AbsoluteUri ? channel : null;

    /// <summary>
    /// Judges what <see cref="FetchAsync"/> found: an index is trusted only when it names <paramref name="publishedChannel"/>,
    /// the channel of the manifest seen at <paramref name="url"/> (an index of another channel, even signed by the same
    /// key, says nothing about this one), and is not older than one seen before. Records the check and reports a change
    /// of state; returns the index when it is trusted.
    /// </summary>
    public ChannelIndex? Record(FetchedIndex fetched, Uri url, string? publishedChannel)
    {
        var unbound = fetched.Index switch
        {
            null => null,
            { } named when publishedChannel is null =>
                $"the index names channel '{named.Channel}', but no manifest from this pull URL has verified yet to say which channel it publishes",
            { } named when named.Channel != publishedChannel =>
                $"{FeedErrors.IndexInvalid}: the index is for channel '{named.Channel}', but the bundles at this pull URL are on channel '{publishedChannel}'",
            _ => null,
        };
        var (index, problem) = unbound is null ? (fetched.Index, fetched.Problem) : (null, unbound);

        if (index is null)
        {
            UpdatesLog.FeedIndexRefused(logger, url.Host, problem ?? "");
        }

        var record = state.ReadFeedRecord();
        if (publishedChannel is not null)
        {
            (record.PublishedUrl, record.PublishedChannel) = (url.AbsoluteUri, publishedChannel);
        }

        var trusted = FeedWatch.Observe(record, index, problem, state.TrustedNow());
        Save(record, trusted ? index!.Issued : null);
        return trusted ? index : null;
    }

    /// <summary>How long until the state would change by time alone, so the pull can look again then; null when never.</summary>
    public TimeSpan? UntilNextChange()
    {
        var now = state.TrustedNow();
        return FeedWatch.NextChange(state.ReadFeedRecord(), now, MaxAge) - now;
    }

    /// <summary>This device does not pull: no feed state is shown (the indexes seen are kept).</summary>
    public void StopWatching() => state.StopWatchingFeed();

    private async Task<FetchedIndex> FetchVerifiedAsync(BundleDownloader downloader, Uri url, CancellationToken cancellationToken)
    {
        if (downloader.Insecure(url) is { } insecure)
        {
            return new FetchedIndex(null, insecure.Message);
        }

        var json = await downloader.FetchSmallAsync(url, ChannelIndexFile.FileName, ChannelIndexFile.MaxBytes, cancellationToken);
        var signature = json is null ? null : await downloader.FetchSmallAsync(url, ChannelIndexFile.SignatureFile, MinisignSignature.MaxFileBytes, cancellationToken);
        if (json is null || signature is null)
        {
            return new FetchedIndex(null, $"{FeedErrors.IndexMissing}: the server publishes no {ChannelIndexFile.FileName} with its {ChannelIndexFile.SignatureFile} (or one too large).");
        }

        if (signatures.Verify(new MemoryStream(json), signature) is SignatureCheck.Refused refused)
        {
            return new FetchedIndex(null, $"{refused.Code}: {ChannelIndexFile.FileName}: {refused.Message}");
        }

        return ChannelIndexFile.TryRead(json, out var error) is { } index ? new FetchedIndex(index, null) : new FetchedIndex(null, $"{FeedErrors.IndexInvalid}: {error}");
    }

    private void Save(FeedRecord record, DateTimeOffset? trustedTime)
    {
        var now = state.TrustedNow();
        var (next, code, message) = FeedWatch.Evaluate(record, now, MaxAge);
        var previous = record.State;
        (record.Code, record.Message) = (code, message);
        UpdateEvent? change = null;
        if (next != previous)
        {
            // With no new index, the change is time's (Feed showed it already): it dates from when it happened, not from this check.
            var since = trustedTime is null ? FeedWatch.Since(record, next, now, MaxAge) : now;
            (record.State, record.StateSinceTicks) = (next, since.UtcTicks);
            change = Report(previous, next, code, message, record.RolledBack ?? record.LastIndex);
        }

        state.SaveFeed(record, change, trustedTime);
    }

    private UpdateEvent? Report(string previous, string next, string? code, string message, FeedRecord.IndexRecord? index)
    {
        switch (next)
        {
            case FeedStates.Stale:
                UpdatesLog.FeedStale(logger, message);
                break;
            case FeedStates.Rollback:
                UpdatesLog.FeedRolledBack(logger, message);
                break;
            case FeedStates.Ok when previous is FeedStates.Stale or FeedStates.Rollback:
                UpdatesLog.FeedFresh(logger, message);
                break;
            default:
                return null;
        }

        return new UpdateEvent { Event = "feed_" + next, Channel = index?.Channel, Sequence = index?.Sequence ?? 0, Code = code, Message = message };
    }
}

/// <summary>What a check found at the pull URL: a channel index whose signature verified, or why there is none.</summary>
public sealed record FetchedIndex(ChannelIndex? Index, string? Problem);
