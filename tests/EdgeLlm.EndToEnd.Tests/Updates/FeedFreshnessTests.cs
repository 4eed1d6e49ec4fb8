using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Freeze protection through the real daemon against a real feed server, with indexes signed by the real minisign:
/// an expired index, one too old, and a rolled-back one each show in <c>/admin/status</c> (and the log and the
/// telemetry outbox) while completions keep working; an index naming a newer bundle gets past a server that
/// answers 304 forever; an index of another channel is not the feed's.
/// </summary>
public sealed class FeedFreshnessTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;
    private UpdateServer _server = null!;
    private string _published = "";

    public async Task InitializeAsync()
    {
        _server = await UpdateServer.StartAsync();
        _daemon = await UpdatingDaemon.CreateAsync(_server.PullSettings("--Updates:MaxFeedAge", "1.00:00:00"));
        _published = await _daemon.BundleAsync(1);
        _server.Published = _published;
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AnExpiredIndexMakesTheFeedStaleOnceWhileCompletionsKeepWorking()
    {
        await _daemon.SignIndexAsync(_published, 1, issued: DateTimeOffset.UtcNow.AddHours(-3), validFor: TimeSpan.FromHours(2));

        await _daemon.StartAsync();
        var feed = await FeedWhenAsync("stale");
        await _daemon.CheckAsync();

        Assert.Equal(["state", "code", "message", "since", "last_index", "verified_at"], feed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["channel", "sequence", "issued", "expires"], feed.GetProperty("last_index").EnumerateObject().Select(p => p.Name));
        Assert.Equal("update_feed_stale", feed.GetProperty("code").GetString());
        Assert.Contains("expired", feed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, feed.GetProperty("last_index").GetProperty("sequence").GetInt64());
        Assert.Equal(200, await _daemon.CompleteAsync());
        Assert.Equal("stale", (await _daemon.StatusAsync()).GetProperty("feed").GetProperty("state").GetString());
        Assert.Single(_daemon.OutboxEvents(), e => e.Kind == "update.feed_stale" && e.Data.Contains("update_feed_stale", StringComparison.Ordinal));
        Assert.Equal(1, OutputText.Occurrences(_daemon.Process!.Output, "The update feed is stale"));
    }

    [Fact]
    public async Task AnIndexIssuedLongerAgoThanMaxFeedAgeMakesTheFeedStaleThoughItHasNotExpired()
    {
        await _daemon.SignIndexAsync(_published, 1, issued: DateTimeOffset.UtcNow.AddDays(-2), validFor: TimeSpan.FromDays(30));

        await _daemon.StartAsync();
        var feed = await FeedWhenAsync("stale");

        // A stale feed is reported, not obeyed: the bundle it carries still installs, and serving goes on.
        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");

        Assert.Contains("MaxFeedAge", feed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    [Fact]
    public async Task AnIndexOlderThanOneAlreadySeenIsARollbackThatSurvivesARestart()
    {
        // The publisher's own command, then the stock minisign.
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["channel", "index", "--expires-in", "2d", "--out", _published]);
        Assert.True(exitCode == 0, output);
        _daemon.Sign(Path.Combine(_published, "channel.json"));
        await _daemon.StartAsync();
        var fresh = await FeedWhenAsync("ok");

        await _daemon.SignIndexAsync(_published, 1, issued: DateTimeOffset.UtcNow.AddHours(-1), validFor: TimeSpan.FromDays(2));
        await _daemon.CheckAsync();
        var rolledBack = (await _daemon.AdminStatusAsync()).GetProperty("updates").GetProperty("feed");
        await _daemon.Process!.TerminateAsync(TimeSpan.FromSeconds(30));
        await _daemon.StartAsync();
        var afterRestart = await FeedWhenAsync("rollback");

        Assert.Equal(1, fresh.GetProperty("last_index").GetProperty("sequence").GetInt64());
        Assert.Equal(("rollback", "update_feed_rollback"), (rolledBack.GetProperty("state").GetString(), rolledBack.GetProperty("code").GetString()));
        Assert.Equal(fresh.GetProperty("last_index").GetProperty("issued").GetDateTimeOffset(), afterRestart.GetProperty("last_index").GetProperty("issued").GetDateTimeOffset());
        Assert.Equal(200, await _daemon.CompleteAsync());
        Assert.Single(_daemon.OutboxEvents(), e => e.Kind == "update.feed_rollback");
    }

    [Fact]
    public async Task AnIndexNamingANewerSequenceMakesThePullFetchTheBundleAFrozenServerHidesBehind304()
    {
        await _daemon.SignIndexAsync(_published, 1, issued: DateTimeOffset.UtcNow.AddMinutes(-5), validFor: TimeSpan.FromDays(2));
        // A frozen cache: whatever the client already has, the manifest "has not changed".
        _server.Intercept = (http, file, _) =>
        {
            if (file != "manifest.json" || http.Request.Headers.IfNoneMatch.Count == 0)
            {
                return Task.FromResult(false);
            }

            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.FromResult(true);
        };
        await _daemon.StartAsync();
        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");

        _published = await _daemon.BundleAsync(2);
        await _daemon.SignIndexAsync(_published, 1, issued: DateTimeOffset.UtcNow.AddMinutes(-4), validFor: TimeSpan.FromDays(2));
        _server.Published = _published;
        var frozen = await _daemon.CheckAsync();
        await _daemon.SignIndexAsync(_published, 2, issued: DateTimeOffset.UtcNow, validFor: TimeSpan.FromDays(2));
        var before = _server.Requests.Count;
        var withIndex = await _daemon.CheckAsync();

        Assert.Equal("not_modified", frozen);
        Assert.Equal("installed", withIndex);
        Assert.Contains(_server.Requests.Skip(before), r => r.File == "manifest.json" && r.IfNoneMatch.Length == 0);
        Assert.Equal("stable-2", UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
        Assert.Equal("ok", (await _daemon.StatusAsync()).GetProperty("feed").GetProperty("state").GetString());
    }

    [Fact]
    public async Task AFreshIndexOfAnotherChannelSignedByTheSameKeyNeitherFreshensTheFeedNorLiftsTheManifestsETag()
    {
        // The mirror publishes stable's bundle beside a fresh index of 'beta', which the same publisher key signs.
        await _daemon.SignIndexAsync(_published, 5, issued: DateTimeOffset.UtcNow.AddMinutes(-5), validFor: TimeSpan.FromDays(2), channel: "beta");
        await _daemon.StartAsync();
        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");

        var before = _server.Requests.Count;
        var again = await _daemon.CheckAsync();
        var feed = (await _daemon.AdminStatusAsync()).GetProperty("updates").GetProperty("feed");

        Assert.Equal("not_modified", again);
        Assert.Contains(_server.Requests.Skip(before), r => r.File == "manifest.json" && r.IfNoneMatch.Length > 0);
        Assert.Equal("unknown", feed.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, feed.GetProperty("last_index").ValueKind);
        Assert.Contains("channel_index_invalid: the index is for channel 'beta', but the bundles at this pull URL are on channel 'stable'",
            feed.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    /// <summary>The <c>feed</c> of <c>/admin/status</c> once it is in <paramref name="state"/>.</summary>
    private async Task<JsonElement> FeedWhenAsync(string state)
    {
        JsonElement feed = default;
        await Poll.Until(async () =>
        {
            feed = (await _daemon.AdminStatusAsync()).GetProperty("updates").GetProperty("feed");
            return feed.ValueKind == JsonValueKind.Object && feed.GetProperty("state").GetString() == state;
        });
        return feed;
    }
}
