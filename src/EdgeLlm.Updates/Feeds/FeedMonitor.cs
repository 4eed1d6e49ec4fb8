using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Feeds;

/// <summary>
/// Freeze protection for the pull: at every check it fetches the channel index beside the bundle and verifies it
/// against the trusted keys, then moves the feed's state (<see cref="FeedWatch"/>) and reports each change once: a
/// warning in the log and an <c>update.feed_*</c> event (through the update history, which telemetry carries).
/// The device keeps serving whatever the feed says; this only makes a frozen or replayed feed visible.
/// </summary>
public sealed class FeedMonitor(UpdateStateStore state, MinisignVerifier signatures, IOptions<UpdatesOptions> options, ILogger<FeedMonitor> logger)
{
    /// <summary>Fetches and judges the index; returns it when it is verified and not older than one seen before.</summary>
    public async Task<ChannelIndex?> CheckAsync(BundleDownloader downloader, Uri url, CancellationToken cancellationToken)
    {
        string? problem;
        ChannelIndex? index = null;
        try
        {
            (index, problem) = await FetchAsync(downloader, url, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
        {
            problem = "the update server did not answer: " + ex.Message;
        }

        if (problem is not null && index is null)
        {
            UpdatesLog.FeedIndexRefused(logger, url.Host, problem);
        }

        var record = state.ReadFeedRecord();
        var trusted = FeedWatch.Observe(record, index, problem, state.TrustedNow());
        Save(record, trusted ? index!.Issued : null);
        return trusted ? index : null;
    }

    /// <summary>How long until the state would change by time alone, so the pull can look again then; null when never.</summary>
    public TimeSpan? UntilNextChange()
    {
        var now = state.TrustedNow();
        return FeedWatch.NextChange(state.ReadFeedRecord(), now, options.Value.MaxFeedAge) - now;
    }

    /// <summary>This device does not pull: no feed state is shown (the indexes seen are kept).</summary>
    public void StopWatching() => state.StopWatchingFeed();

    private async Task<(ChannelIndex? Index, string? Problem)> FetchAsync(BundleDownloader downloader, Uri url, CancellationToken cancellationToken)
    {
        if (downloader.Insecure(url) is { } insecure)
        {
            return (null, insecure.Message);
        }

        var json = await downloader.FetchSmallAsync(url, ChannelIndexFile.FileName, ChannelIndexFile.MaxBytes, cancellationToken);
        var signature = json is null ? null : await downloader.FetchSmallAsync(url, ChannelIndexFile.SignatureFile, MinisignSignature.MaxFileBytes, cancellationToken);
        if (json is null || signature is null)
        {
            return (null, $"{FeedErrors.IndexMissing}: the server publishes no {ChannelIndexFile.FileName} with its {ChannelIndexFile.SignatureFile} (or one too large).");
        }

        if (signatures.Verify(new MemoryStream(json), signature) is SignatureCheck.Refused refused)
        {
            return (null, $"{refused.Code}: {ChannelIndexFile.FileName}: {refused.Message}");
        }

        return ChannelIndexFile.TryRead(json, out var error) is { } index ? (index, null) : (null, $"{FeedErrors.IndexInvalid}: {error}");
    }

    private void Save(FeedRecord record, DateTimeOffset? trustedTime)
    {
        var now = state.TrustedNow();
        var (next, code, message) = FeedWatch.Evaluate(record, now, options.Value.MaxFeedAge);
        var previous = record.State;
        (record.Code, record.Message) = (code, message);
        UpdateEvent? change = null;
        if (next != previous)
        {
            (record.State, record.StateSinceTicks) = (next, now.UtcTicks);
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
