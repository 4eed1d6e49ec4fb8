using System.Threading.Channels;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Sources;

/// <summary>
/// Checks <c>Updates:PullUrl</c> (<see cref="PullCheck"/>) on a timer and on demand (<c>POST /admin/updates/check</c>,
/// the fleet's update-check command). An unreachable server or an unchanged bundle is the normal state of an offline
/// site: it is recorded as the last check, never as an error. After a check that failed on the link the next comes
/// sooner, with jittered back-off; and the feed is looked at again the moment it would go stale. Runs beside
/// serving, never in its way.
/// </summary>
public sealed class UpdatePuller(
    PullCheck check,
    BundleVerifier verifier,
    UpdatePaths paths,
    IOptions<UpdatesOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<UpdatePuller> logger) : BackgroundService
{
    public const string Disabled = "disabled";
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
        var settings = options.Value;
        if (settings.PullUrl is not { } url)
        {
            check.StopWatchingFeed();
            return;
        }

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) };
        // No overall timeout (a multi-GB artifact takes as long as it takes); PullDeadlines bound every wait on the server instead.
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var bandwidth = settings.PullBytesPerSecond > 0 ? new BandwidthLimiter(settings.PullBytesPerSecond, time) : null;
        var resumes = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), time);
        var deadlines = new PullDeadlines(settings.PullRequestTimeout, settings.PullStallTimeout, time);
        var downloader = new BundleDownloader(http, verifier, settings.PlainHttpHosts.ToHashSet(StringComparer.OrdinalIgnoreCase), paths.Downloads, resumes, bandwidth, deadlines);
        var schedule = new PullSchedule(settings.PullInterval, new RetryBackoff(settings.PullRetryDelay, settings.PullInterval, time));
        var waiting = new List<TaskCompletionSource<string>>();
        try
        {
            // What a check reports reaches every listener (telemetry among them) only once the host has started them all.
            await WhenStartedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var outcome = await check.RunAsync(downloader, url, stoppingToken);
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

                var wait = schedule.Next(PullCheck.IsTransient(outcome), check.UntilFeedChange());
                if (PullCheck.IsTransient(outcome))
                {
                    UpdatesLog.RetryScheduled(logger, url.Host, outcome, wait);
                }

                using var interval = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                using var timer = new CancellationTokenSource(wait, time);
                using var registration = timer.Token.Register(interval.Cancel);
                try
                {
                    // A request ends the wait; it is answered by the check that starts at once.
                    waiting.Add(await _requests.Reader.ReadAsync(interval.Token));
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The wait is over.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a download cut short keeps its bytes for the next start.
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        using (stoppingToken.Register(started.SetCanceled))
        {
            await started.Task;
        }
    }
}
