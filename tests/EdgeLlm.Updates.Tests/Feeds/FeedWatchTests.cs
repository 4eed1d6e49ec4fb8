using EdgeLlm.Updates.Feeds;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Feeds;

/// <summary>The feed's state machine, driven by a fake clock.</summary>
public sealed class FeedWatchTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(3);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FeedRecord _record = new();

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void AFreshIndexIsOk()
    {
        Assert.True(Observe(Index(5, issuedAgo: TimeSpan.FromHours(1), validFor: TimeSpan.FromDays(2))));

        Assert.Equal((FeedStates.Ok, (string?)null), State());
    }

    [Fact]
    public void AnIndexGoesStaleTheMomentItExpires()
    {
        Observe(Index(5, issuedAgo: TimeSpan.FromHours(1), validFor: TimeSpan.FromDays(2)));

        _time.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        var before = State();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(FeedStates.Ok, before.State);
        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), State());
        Assert.Contains("expired", Evaluate().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIndexThatStillValidatesButWasIssuedLongerAgoThanMaxFeedAgeIsStale()
    {
        Observe(Index(5, issuedAgo: TimeSpan.FromDays(4), validFor: TimeSpan.FromDays(30)));

        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), State());
        Assert.Contains("MaxFeedAge", Evaluate().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenTheServerStopsAnsweringTheLastIndexAgesIntoStale()
    {
        Observe(Index(5, issuedAgo: TimeSpan.Zero, validFor: TimeSpan.FromDays(30)));

        _time.Advance(TimeSpan.FromDays(2));
        Observe(null, "the update server did not answer");
        var soon = State();
        _time.Advance(TimeSpan.FromDays(1));
        Observe(null, "the update server did not answer");

        Assert.Equal(FeedStates.Ok, soon.State);
        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), State());
        Assert.Contains("did not answer", Evaluate().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFeedThatNeverSentAVerifiedIndexIsUnknownThenStaleMaxFeedAgeAfterWatchingBegan()
    {
        Observe(null, "channel_index_missing");
        var first = State();
        _time.Advance(MaxAge - TimeSpan.FromSeconds(1));
        Observe(null, "channel_index_missing");
        var almost = State();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal((FeedStates.Unknown, (string?)null), first);
        Assert.Equal(FeedStates.Unknown, almost.State);
        Assert.Equal((FeedStates.Stale, FeedErrors.Stale), State());
    }

    [Fact]
    public void AnIndexWithASequenceBelowOneSeenBeforeIsARollbackUntilANewerOneArrives()
    {
        Observe(Index(7, issuedAgo: TimeSpan.FromHours(2), validFor: TimeSpan.FromDays(2)));

        var trusted = Observe(Index(6, issuedAgo: TimeSpan.FromHours(1), validFor: TimeSpan.FromDays(2)));
        var rolledBack = State();
        Assert.True(Observe(Index(8, issuedAgo: TimeSpan.Zero, validFor: TimeSpan.FromDays(2))));

        Assert.False(trusted);
        Assert.Equal((FeedStates.Rollback, FeedErrors.Rollback), rolledBack);
        Assert.Equal((FeedStates.Ok, (string?)null), State());
        Assert.Equal(8, _record.LastIndex!.Sequence);
    }

    [Fact]
    public void AnIndexIssuedBeforeOneSeenIsARollbackEvenWithTheSameSequence()
    {
        Observe(Index(7, issuedAgo: TimeSpan.FromHours(1), validFor: TimeSpan.FromDays(2)));

        Assert.False(Observe(Index(7, issuedAgo: TimeSpan.FromHours(5), validFor: TimeSpan.FromDays(2))));

        Assert.Equal((FeedStates.Rollback, FeedErrors.Rollback), State());
        Assert.Equal(7, _record.LastIndex!.Sequence);
    }

    [Fact]
    public void TheSameIndexSeenAgainOrReissuedLaterIsNoRollback()
    {
        var index = Index(7, issuedAgo: TimeSpan.FromHours(1), validFor: TimeSpan.FromDays(2));
        Observe(index);

        Assert.True(Observe(index));
        Assert.True(Observe(index with { Issued = Now, Expires = Now.AddDays(2) }));
        Assert.Equal(FeedStates.Ok, State().State);
    }

    [Fact]
    public void TheNextChangeIsTheEarlierOfExpiryAndMaxFeedAgeAfterIssue()
    {
        Observe(Index(5, issuedAgo: TimeSpan.FromDays(1), validFor: TimeSpan.FromDays(5)));
        var byAge = FeedWatch.NextChange(_record, Now, MaxAge);
        Observe(Index(6, issuedAgo: TimeSpan.Zero, validFor: TimeSpan.FromHours(6)));
        var byExpiry = FeedWatch.NextChange(_record, Now, MaxAge);
        Observe(Index(1, issuedAgo: TimeSpan.Zero, validFor: TimeSpan.FromHours(6)));

        Assert.Equal(Now + TimeSpan.FromDays(2), byAge);
        Assert.Equal(Now + TimeSpan.FromHours(6), byExpiry);
        Assert.Null(FeedWatch.NextChange(_record, Now, MaxAge));
    }

    private ChannelIndex Index(long sequence, TimeSpan issuedAgo, TimeSpan validFor) => new("stable", sequence, Now - issuedAgo, Now - issuedAgo + validFor);

    private bool Observe(ChannelIndex? index, string? problem = null) => FeedWatch.Observe(_record, index, problem, Now);

    private (string State, string? Code, string Message) Evaluate() => FeedWatch.Evaluate(_record, Now, MaxAge);

    private (string State, string? Code) State()
    {
        var (state, code, _) = Evaluate();
        return (state, code);
    }
}
