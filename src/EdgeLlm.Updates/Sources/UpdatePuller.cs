using System.Threading.Channels;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Sources;

/// <summary>
/// Checks <c>Updates:PullUrl</c> on a timer and on demand (<c>POST /admin/updates/check</c>, the fleet's
/// update-check command) and installs what it finds. An unreachable server or an unchanged bundle is the normal
/// state of an offline site: it is recorded as the last check, never as an error. Runs beside serving, never in its way.
/// </summary>
public sealed class UpdatePuller(
    UpdateInstaller installer,
    UpdateStateStore state,
    BundleVerifier verifier,
    IOptions<UpdatesOptions> options,
    TimeProvider time,
    ILogger<UpdatePuller> logger) : BackgroundService
{
    public const string NotModified = "not_modified";
    public const string UpToDate = "up_to_date";
    public const string Unreachable = "unreachable";
    public const string Disabled = "disabled";
    private static readonly HashSet<string> QuietCodes = new(StringComparer.Ordinal) { NotModified, UpToDate, Unreachable };
    private readonly Channel<TaskCompletionSource<string>> _requests = Channel.CreateBounded<TaskCompletionSource<string>>(8);

    /// <summary>Asks for a check now; completes with its outcome (<c>installed</c>, <c>not_modified</c>, a refusal code…).</summary>
    public async Task<string> CheckNowAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PullUrl is null)
        {
            return Disabled;
        }

        var request = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _requests.Writer.WriteAsync(request, cancellationToken);
        return await request.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PullUrl is not { } url)
        {
            return;
        }

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var bandwidth = options.Value.PullBytesPerSecond > 0 ? new BandwidthLimiter(options.Value.PullBytesPerSecond, time) : null;
        var downloader = new BundleDownloader(http, verifier, options.Value.PlainHttpHosts.ToHashSet(StringComparer.OrdinalIgnoreCase), bandwidth);
        var waiting = new List<TaskCompletionSource<string>>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var outcome = await CheckAsync(downloader, url, stoppingToken);
                waiting.ForEach(w => w.TrySetResult(outcome));
                waiting.Clear();
                // Requests made while that check ran get a check of their own, at once.
                while (_requests.Reader.TryRead(out var request))
                {
                    waiting.Add(request);
                }

                if (waiting.Count > 0)
                {
                    continue;
                }

                using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                interval.CancelAfter(options.Value.PullInterval);
                try
                {
                    // A request ends the wait; it is answered by the check that starts at once.
                    waiting.Add(await _requests.Reader.ReadAsync(interval.Token));
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval passed.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a download cut short is rolled back at the next start.
        }
    }

    private async Task<string> CheckAsync(BundleDownloader downloader, Uri url, CancellationToken cancellationToken)
    {
        string? etag = null;
        var quiet = string.Empty;
        var outcome = await installer.InstallAsync("pull", async (staging, ct) =>
        {
            try
            {
                switch (await downloader.PullAsync(url, state.PullETag(), staging, ct))
                {
                    case PullResult.Staged staged:
                        etag = staged.ETag;
                        return staged.Bundle;
                    case PullResult.NotModified:
                        quiet = NotModified;
                        return new BundleCheck.Refused(NotModified, "The published bundle has not changed.");
                    case PullResult.Refused { Reason.Code: BundleErrors.Replayed }:
                        quiet = UpToDate;
                        return new BundleCheck.Refused(UpToDate, "The published bundle is not newer than the installed one.");
                    case PullResult.Refused refused:
                        return refused.Reason;
                    default:
                        throw new InvalidOperationException("Unknown pull result.");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
            {
                quiet = Unreachable;
                UpdatesLog.CheckFailed(logger, url.Host, ex.Message);
                return new BundleCheck.Refused(Unreachable, ex.Message);
            }
        }, cancellationToken, quietCodes: QuietCodes);

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
