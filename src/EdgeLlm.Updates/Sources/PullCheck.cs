using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Feeds;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Sources;

/// <summary>
/// One update check at the pull URL: the channel index first (freeze protection, <see cref="FeedMonitor"/>), then
/// the manifest (conditional on its ETag unless the index names a sequence newer than the one installed, so a server
/// answering 304 forever cannot hide a new bundle), then the install; the index is judged against the channel of the
/// manifest seen there. A bundle that cannot fit within <c>Updates:DiskBudgetBytes</c> is refused before any of it
/// is downloaded. The outcome is recorded as the last check.
/// </summary>
public sealed class PullCheck(UpdateInstaller installer, UpdateStateStore state, FeedMonitor feed, StorageCollector storage, ILogger<PullCheck> logger)
{
    public const string NotModified = "not_modified";
    public const string UpToDate = "up_to_date";
    public const string Unreachable = "unreachable";

    /// <summary>The channel index names a newer sequence than the bundle the server publishes (a mirror still syncing, or one holding back).</summary>
    public const string BehindIndex = "bundle_behind_index";

    /// <summary>The normal states of an offline or unchanged site: recorded as the last check, kept out of the history.</summary>
    private static readonly HashSet<string> QuietCodes = new(StringComparer.Ordinal) { NotModified, UpToDate, Unreachable, BehindIndex, BundleErrors.DownloadInterrupted };

    /// <summary>Outcomes after which the next check comes sooner, with back-off: the link, not the bundle or the server's setup, was the problem.</summary>
    public static bool IsTransient(string outcome) => outcome is Unreachable or BundleErrors.DownloadInterrupted or BundleErrors.StagingFailed;

    /// <summary>How long until the feed's state would change by time alone; null when never.</summary>
    public TimeSpan? UntilFeedChange() => feed.UntilNextChange();

    /// <summary>This device does not pull: no feed state is shown.</summary>
    public void StopWatchingFeed() => feed.StopWatching();

    public async Task<string> RunAsync(BundleDownloader downloader, Uri url, CancellationToken cancellationToken)
    {
        var published = feed.PublishedChannel(url);
        var fetched = await feed.FetchAsync(downloader, url, cancellationToken);
        // Only an index of the channel published here may lift the ETag; before a manifest from here was seen, it is fetched whole anyway.
        var newer = published is not null && fetched.Index is { } index && index.Channel == published && index.Sequence > state.HighestSequence(published);
        var seen = published;
        string? etag = null;
        var quiet = string.Empty;
        var outcome = await installer.InstallAsync("pull", async (staging, ct) =>
        {
            try
            {
                var pulled = await downloader.PullAsync(url, newer || published is null ? null : state.PullETag(), staging, ct, storage.Refuses);
                seen = pulled switch
                {
                    PullResult.Staged staged => staged.Bundle.Manifest.Channel,
                    PullResult.Refused { Reason.SignedManifest: { } signed } => signed.Channel,
                    _ => seen,
                };
                switch (pulled)
                {
                    case PullResult.Staged staged:
                        etag = staged.ETag;
                        return staged.Bundle;
                    case PullResult.NotModified:
                        quiet = NotModified;
                        return new BundleCheck.Refused(NotModified, "The published bundle has not changed.");
                    case PullResult.Refused { Reason.Code: BundleErrors.Replayed } when newer:
                        return new BundleCheck.Refused(BehindIndex, $"The channel index names sequence {fetched.Index!.Sequence}, but the server publishes an older bundle.");
                    case PullResult.Refused { Reason.Code: BundleErrors.Replayed }:
                        quiet = UpToDate;
                        return new BundleCheck.Refused(UpToDate, "The published bundle is not newer than the installed one.");
                    case PullResult.Refused refused:
                        return refused.Reason;
                    default:
                        throw new InvalidOperationException("Unknown pull result.");
                }
            }
            catch (UpdateRedirectRefusedException ex)
            {
                // The server's setup, not the link: retrying sooner cannot help.
                return new BundleCheck.Refused(BundleErrors.RedirectRefused, ex.Message);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
            {
                UpdatesLog.CheckFailed(logger, url.Host, ex.Message);
                return new BundleCheck.Refused(Unreachable, ex.Message);
            }
        }, cancellationToken, quietCodes: QuietCodes);
        feed.Record(fetched, url, seen);

        var (code, message) = outcome switch
        {
            InstallOutcome.Installed installed => ("installed", $"Installed {installed.Bundle} sequence {installed.Sequence}."),
            InstallOutcome.Refused refused => (refused.Code, refused.Message),
            InstallOutcome.Failed failed => (failed.Code, failed.Message),
            _ => ("unknown", ""),
        };
        state.RecordCheck(code, message, outcome is InstallOutcome.Installed || quiet == NotModified ? etag : null);
        return code;
    }
}
