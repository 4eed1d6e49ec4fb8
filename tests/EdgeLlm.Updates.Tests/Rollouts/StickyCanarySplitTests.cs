using EdgeLlm.Updates.Rollouts;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>The per-request split: its share matches the weight, and a client never changes sides as the weight rises.</summary>
public sealed class StickyCanarySplitTests
{
    private const int Clients = 10_000;
    private readonly LiveRollouts _live = new();

    [Theory]
    [InlineData(5)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(75)]
    public void TheCandidateShareOverTenThousandKeysIsWithinTwoPointsOfTheWeight(int weight)
    {
        var split = Split(weight, RolloutStickiness.ApiKey);

        var share = 100.0 * Keys().Count(key => split.ToCandidate("assistant", key, null)) / Clients;

        Assert.InRange(share, weight - 2, weight + 2);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(50)]
    public void TheCandidateShareOverTenThousandUsersIsWithinTwoPointsOfTheWeight(int weight)
    {
        var split = Split(weight, RolloutStickiness.User);

        var share = 100.0 * Keys().Count(user => split.ToCandidate("assistant", "one-shared-key", user)) / Clients;

        Assert.InRange(share, weight - 2, weight + 2);
    }

    [Fact]
    public void EveryKeyGetsTheSameAnswerOnEveryCall()
    {
        var split = Split(25, RolloutStickiness.ApiKey);
        var first = Keys().Select(key => split.ToCandidate("assistant", key, null)).ToList();

        for (var call = 0; call < 3; call++)
        {
            Assert.Equal(first, Keys().Select(key => split.ToCandidate("assistant", key, null)));
        }
    }

    [Fact]
    public void AKeyOnTheCandidateStaysOnItAsTheWeightRises()
    {
        var onCandidate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var weight in new[] { 5, 25, 50, 100 })
        {
            var split = Split(weight, RolloutStickiness.ApiKey);
            var now = Keys().Where(key => split.ToCandidate("assistant", key, null)).ToHashSet(StringComparer.Ordinal);

            Assert.Superset(onCandidate, now);
            onCandidate = now;
        }

        Assert.Equal(Clients, onCandidate.Count);
    }

    [Fact]
    public void TheSameKeyLandsIndependentlyInAnotherRollout()
    {
        var buckets = Keys().Take(1000).Select(key => (StickyCanarySplit.Bucket("rollout-a", key), StickyCanarySplit.Bucket("rollout-b", key))).ToList();

        Assert.True(buckets.Count(b => b.Item1 == b.Item2) < 10, "Two rollouts put the same clients in the same buckets.");
        Assert.All(buckets, b => Assert.InRange(b.Item1, 0, StickyCanarySplit.Buckets - 1));
    }

    [Fact]
    public void ARequestWithNeitherKeyNorUserGoesToTheActiveVersion()
    {
        Assert.False(Split(100, RolloutStickiness.ApiKey).ToCandidate("assistant", null, null));
        Assert.False(Split(100, RolloutStickiness.User).ToCandidate("assistant", "", ""));
    }

    [Fact]
    public void StickyByUserFallsBackToTheKeyAndStickyByKeyFallsBackToTheUser()
    {
        Assert.True(Split(100, RolloutStickiness.User).ToCandidate("assistant", "key-1", null));
        Assert.True(Split(100, RolloutStickiness.ApiKey).ToCandidate("assistant", null, "user-1"));
    }

    [Fact]
    public void StickyByUserKeepsOneUserOnOneSideWhicheverKeyCarriesIt()
    {
        var split = Split(50, RolloutStickiness.User);

        foreach (var user in Keys().Take(200))
        {
            var first = split.ToCandidate("assistant", "key-a", user);
            Assert.Equal(first, split.ToCandidate("assistant", "key-b", user));
        }
    }

    [Fact]
    public void AModelWithoutARolloutOrAtWeightZeroNeverReachesACandidate()
    {
        var split = Split(0, RolloutStickiness.ApiKey);

        Assert.DoesNotContain(Keys(), key => split.ToCandidate("assistant", key, null));
        Assert.DoesNotContain(Keys(), key => split.ToCandidate("other-model", key, null));
    }

    private StickyCanarySplit Split(int weight, RolloutStickiness stickyBy)
    {
        _live.Set(new LiveRollout("assistant", "5b0d9d5c8f6a4f0e9a53b1f0e7c1a2d4", weight, stickyBy));
        return new StickyCanarySplit(_live);
    }

    private static IEnumerable<string> Keys() => Enumerable.Range(0, Clients).Select(i => $"key-{i:D5}");
}
