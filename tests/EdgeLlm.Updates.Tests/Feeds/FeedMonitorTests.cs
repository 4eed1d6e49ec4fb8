using EdgeLlm.Testing;
using EdgeLlm.Storage;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Feeds;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.State;
using EdgeLlm.Updates.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Feeds;

/// <summary>
/// The feed monitor against a real HTTP server on loopback and real minisign signatures, on a fake clock: what it
/// reports, once per state change, what it keeps in <c>state.db</c>, what <c>/admin</c> reads while a server stays
/// silent, and which channel's index it trusts.
/// </summary>
public sealed class FeedMonitorTests : IAsyncLifetime
{
    private readonly Minisign _minisign = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger<FeedMonitor> _log = new();
    private WebApplication _server = null!;
    private Uri _url = null!;
    private HttpClient _http = null!;
    private MinisignVerifier _signatures = null!;
    private volatile bool _silent;

    private string Published => Path.Combine(_minisign.Folder, "published");

    private string StateDatabasePath => Path.Combine(_minisign.Folder, "state.db");

    public async Task InitializeAsync()
    {
        var key = _minisign.CreateKey("publisher");
        Directory.CreateDirectory(Published);
        _signatures = new MinisignVerifier(TrustedKeyRing.Load(Path.GetDirectoryName(key)!), false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/feed/{file}", async (HttpContext http, string file) =>
        {
            if (_silent)
            {
                // Accepts the request and never answers, as a stuck mirror or a tarpit does.
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }

            return File.Exists(Path.Combine(Published, Path.GetFileName(file))) ? Results.File(Path.Combine(Published, Path.GetFileName(file))) : Results.NotFound();
        });
        await _server.StartAsync();
        _url = new Uri(_server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/feed/");
        _http = new HttpClient();
    }

    [Fact]
    public async Task EachStateChangeIsReportedOnceInTheLogAndAsAnUpdateEvent()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        await PublishAsync(5, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(1));

        await CheckAsync(state);
        var fresh = Monitor(state).Feed();
        _time.Advance(TimeSpan.FromDays(1));
        await CheckAsync(state);
        await CheckAsync(state);
        var stale = Monitor(state).Feed();
        await PublishAsync(6, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(1));
        await CheckAsync(state);

        Assert.Equal(FeedStates.Ok, fresh!.State);
        Assert.Equal(5, fresh.LastIndex!.Sequence);
        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), (stale!.State, stale.Code));
        Assert.Equal(FeedStates.Ok, Monitor(state).Feed()!.State);
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("current again", StringComparison.Ordinal));
        Assert.Equal(["feed_ok", "feed_stale"], state.History(10).Select(e => e.Event));
        Assert.Equal(FeedErrors.Stale, state.History(10)[1].Code);
    }

    [Fact]
    public async Task ARolledBackIndexIsNotTrustedAndStaysARollbackAfterARestart()
    {
        using (var database = new StateDatabase(StateDatabasePath))
        {
            var state = new UpdateStateStore(database, _time);
            await PublishAsync(5, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(2));
            await CheckAsync(state);
        }

        _time.Advance(TimeSpan.FromHours(1));
        await PublishAsync(4, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(2));
        using var restartedDatabase = new StateDatabase(StateDatabasePath);
        var restarted = new UpdateStateStore(restartedDatabase, _time);
        var trusted = await CheckAsync(restarted);

        Assert.Null(trusted);
        var feed = Monitor(restarted).Feed()!;
        Assert.Equal((FeedStates.Rollback, FeedErrors.Rollback), (feed.State, feed.Code));
        Assert.Equal(5, feed.LastIndex!.Sequence);
        Assert.Contains("sequence 4", feed.Message, StringComparison.Ordinal);
        Assert.Equal("feed_rollback", restarted.History(1)[0].Event);
    }

    [Fact]
    public async Task AnIndexChangedAfterItWasSignedIsNotVerified()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        await PublishAsync(5, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(2));
        var path = Path.Combine(Published, ChannelIndexFile.FileName);
        await File.WriteAllTextAsync(path, File.ReadAllText(path).Replace("\"sequence\": 5", "\"sequence\": 9", StringComparison.Ordinal));

        var trusted = await CheckAsync(state);

        Assert.Null(trusted);
        var feed = Monitor(state).Feed()!;
        Assert.Equal(FeedStates.Unknown, feed.State);
        Assert.Null(feed.LastIndex);
        Assert.Contains("signature", feed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVerifiedIndexIssuedAheadOfTheDeviceClockBecomesTheTrustedTime()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        var issued = _time.GetUtcNow().AddHours(6);
        await PublishAsync(5, issued, validFor: TimeSpan.FromDays(2));

        await CheckAsync(state);

        Assert.Equal(issued, state.TrustedNow());
    }

    [Fact]
    public async Task AServerThatNeverAnswersTheIndexShowsTheFeedStaleOnceMaxFeedAgeHasPassedWhileTheCheckStillWaits()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        var monitor = Monitor(state, maxFeedAge: TimeSpan.FromMinutes(1));
        _silent = true;
        using var stop = new CancellationTokenSource();

        // The request deadline is far off here: what /admin shows must not wait for the check to end.
        var check = monitor.FetchAsync(Downloader(state, new PullDeadlines(TimeSpan.FromHours(1), TimeSpan.FromHours(1), _time)), _url, stop.Token);
        await Poll.Until(() => monitor.Feed() is not null);
        var before = monitor.Feed()!;
        _time.Advance(TimeSpan.FromMinutes(1));
        var after = monitor.Feed()!;

        Assert.False(check.IsCompleted, "the check should still be waiting on the silent server");
        Assert.Equal(FeedStates.Unknown, before.State);
        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), (after.State, after.Code));
        Assert.Equal(_time.GetUtcNow(), after.Since);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
    }

    [Fact]
    public async Task AnIndexRequestThatGetsNoAnswerEndsAtItsDeadlineWithTheReason()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        _silent = true;

        var check = Monitor(state).FetchAsync(Downloader(state, new PullDeadlines(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), _time)), _url, CancellationToken.None);
        while (!check.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        var fetched = await check;
        Assert.Null(fetched.Index);
        Assert.Contains("did not send channel.json within 00:01:00", fetched.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFreshIndexOfAnotherChannelSignedByTheSameKeyIsRefusedAndTheFeedGoesStaleAllTheSame()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        await PublishAsync(5, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(1));
        await CheckAsync(state);
        _time.Advance(TimeSpan.FromDays(1));

        // The mirror freezes 'stable' and serves a fresh, validly signed 'beta' index in its place.
        await PublishAsync(9, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(1), channel: "beta");
        var trusted = await CheckAsync(state);

        Assert.Null(trusted);
        var feed = Monitor(state).Feed()!;
        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), (feed.State, feed.Code));
        Assert.Equal(("stable", 5L), (feed.LastIndex!.Channel, feed.LastIndex.Sequence));
        Assert.Contains($"{FeedErrors.IndexInvalid}: the index is for channel 'beta'", feed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIndexIsNotTrustedBeforeAManifestFromThePullUrlSaidWhichChannelItPublishes()
    {
        using var stateDatabase = new StateDatabase(StateDatabasePath);
        var state = new UpdateStateStore(stateDatabase, _time);
        await PublishAsync(5, issued: _time.GetUtcNow(), validFor: TimeSpan.FromDays(1));
        var monitor = Monitor(state);

        var unbound = monitor.Record(await monitor.FetchAsync(Downloader(state), _url, CancellationToken.None), _url, publishedChannel: null);
        var bound = await CheckAsync(state);

        Assert.Null(unbound);
        Assert.Equal(5, bound!.Sequence);
        Assert.Equal("stable", monitor.PublishedChannel(_url));
        Assert.Null(monitor.PublishedChannel(new Uri(_url, "elsewhere/")));
    }

    /// <summary>One check's feed part, as the pull runs it, at a URL whose manifest is on <paramref name="publishedChannel"/>.</summary>
    private async Task<ChannelIndex?> CheckAsync(UpdateStateStore state, string publishedChannel = "stable")
    {
        var monitor = Monitor(state);
        return monitor.Record(await monitor.FetchAsync(Downloader(state), _url, CancellationToken.None), _url, publishedChannel);
    }

    private FeedMonitor Monitor(UpdateStateStore state, TimeSpan? maxFeedAge = null) =>
        new(state, _signatures, Options.Create(new UpdatesOptions { MaxFeedAge = maxFeedAge ?? TimeSpan.FromDays(3), PullUrl = _url }), _log);

    private BundleDownloader Downloader(UpdateStateStore state, PullDeadlines? deadlines = null) =>
        new(_http, new BundleVerifier(_signatures, state, "default"), new HashSet<string> { "127.0.0.1" }, Path.Combine(_minisign.Folder, "downloads"),
            new RetryBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeProvider.System), deadlines: deadlines);

    /// <summary>What a publisher does: <c>edgellm channel index</c>, then <c>minisign -Sm channel.json</c>.</summary>
    private async Task PublishAsync(long sequence, DateTimeOffset issued, TimeSpan validFor, string channel = "stable")
    {
        var path = await ChannelIndexFile.WriteAsync(new ChannelIndex(channel, sequence, issued, issued + validFor), Published, CancellationToken.None);
        _minisign.Sign("publisher", path, $"channel {channel} {sequence}");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _minisign.Dispose();
    }
}
