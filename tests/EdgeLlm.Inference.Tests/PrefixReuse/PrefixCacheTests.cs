using EdgeLlm.Inference.PrefixReuse;

namespace EdgeLlm.Inference.Tests.PrefixReuse;

public sealed class PrefixCacheTests
{
    private readonly FakeKvMemory _memory = new();

    [Fact]
    public void ANewPromptStartsFromTheLongestKeptHistoryItBeginsWith()
    {
        var cache = Cache();
        Finish(cache, Tokens(1, 40));
        Finish(cache, [.. Tokens(1, 5), .. Tokens(500, 36)]);
        var (hits, hitTokens) = (cache.Counters.Hits, cache.Counters.HitTokens);

        var start = cache.Start([.. Tokens(1, 30), .. Tokens(900, 5)], 100)!.Value;

        Assert.Equal(30, start.ReusedTokens);
        Assert.Equal((0, 29, 30), _memory.Range(start.Id));
        Assert.Equal((hits + 1, hitTokens + 30), (cache.Counters.Hits, cache.Counters.HitTokens));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AmongEqualMatchesTheMostRecentlyUsedHistoryIsShared(bool touchFirst)
    {
        var cache = Cache();
        var first = Finish(cache, [.. Tokens(1, 20), .. Tokens(100, 30)]);
        var second = Kept(cache, [.. Tokens(1, 20), .. Tokens(200, 30)]);
        if (touchFirst)
        {
            // A prompt that takes all of the first history, so nothing of it is cut.
            cache.Start([.. Tokens(1, 20), .. Tokens(100, 30), 7], 60);
        }

        var start = cache.Start([.. Tokens(1, 20), 9], 50)!.Value;

        Assert.Equal(20, start.ReusedTokens);
        Assert.Equal(touchFirst ? first : second, _memory.LastCopySource);
    }

    [Fact]
    public void AHistorySharingHalfOfAKeptOneOrMoreReplacesIt()
    {
        var cache = Cache();
        Finish(cache, [.. Tokens(1, 30), .. Tokens(100, 20)]);
        var sibling = Finish(cache, [.. Tokens(1, 30), .. Tokens(200, 20)]);

        Assert.Equal([(sibling, 50)], cache.Kept);
        Assert.Equal(1, cache.Counters.Evictions(PrefixEviction.Superseded));
    }

    [Fact]
    public void APromptEqualToAKeptHistoryBacksOffOneTokenSoItsLastTokenIsDecodedForLogits()
    {
        var cache = Cache();
        Finish(cache, Tokens(1, 40));

        Assert.Equal(39, cache.Start(Tokens(1, 40), 60)!.Value.ReusedTokens);
        Assert.Equal(29, cache.Start(Tokens(1, 30), 60)!.Value.ReusedTokens);
    }

    [Fact]
    public void AMatchShorterThanTheMinimumIsNotReusedAndCountsAsAMiss()
    {
        var cache = Cache(minTokens: 16);
        Finish(cache, Tokens(1, 40));

        var start = cache.Start([.. Tokens(1, 15), .. Tokens(100, 30)], 60)!.Value;

        Assert.Equal(0, start.ReusedTokens);
        Assert.Equal((-1, -1, 0), _memory.Range(start.Id));
        Assert.Equal((0, 2), (cache.Counters.Hits, cache.Counters.Misses));
    }

    [Fact]
    public void AHistoryShorterThanTheMinimumOrEndedByAnErrorIsFreedNotKept()
    {
        var cache = Cache(minTokens: 16);
        Finish(cache, Tokens(1, 15));
        Finish(cache, Tokens(100, 40), keep: false);

        Assert.Empty(cache.Kept);
        Assert.Equal(0, _memory.UsedCells);
    }

    [Fact]
    public void ARequestThatNeedsTheCellsOfTheHistoryItMatchedKeepsThemWhenTheHistoryIsDropped()
    {
        // 100 cells: the kept history (cut back to the 45 tokens shared) and a 60-cell reservation cannot both be counted, so the history goes.
        var cache = Cache(totalCells: 100);
        Finish(cache, Tokens(1, 60));

        var start = cache.Start([.. Tokens(1, 45), .. Tokens(700, 4)], 60)!.Value;

        Assert.Empty(cache.Kept);
        Assert.Equal(45, start.ReusedTokens);
        Assert.Equal((0, 44, 45), _memory.Range(start.Id));
        Assert.Equal(45, _memory.UsedCells);
        Assert.Equal(1, cache.Counters.Evictions(PrefixEviction.Cells));
    }

    [Fact]
    public void KeptHistoriesAreDroppedLeastRecentlyUsedFirstWhenRunningWorkNeedsCells()
    {
        var cache = Cache(totalCells: 150, maxCells: 200);
        var old = Finish(cache, Tokens(1, 50));
        Finish(cache, Tokens(100, 50));
        cache.Start(Tokens(1, 20), 30);

        // The touched one stays (cut back to the 20 tokens shared); 20 + 50 kept + 30 + 80 reserved = 180 > 150: the other goes.
        var late = cache.Start(Tokens(300, 10), 80)!.Value;

        Assert.Equal(0, late.ReusedTokens);
        Assert.Equal([old], cache.Kept.Select(k => k.Id));
    }

    [Fact]
    public void NoMoreHistoriesThanTheEntriesAreKeptSoRunningSequencesAlwaysFindAnId()
    {
        var cache = Cache(running: 2, entries: 2);
        Finish(cache, Tokens(1, 20));
        Finish(cache, Tokens(100, 20));
        Finish(cache, Tokens(200, 20));

        Assert.Equal(1, cache.Counters.Evictions(PrefixEviction.Entries));
        Assert.Equal(2, cache.Kept.Count);
        var a = cache.Start(Tokens(300, 20), 40)!.Value;
        var b = cache.Start(Tokens(400, 20), 40)!.Value;
        Assert.Equal(4, new[] { a.Id, b.Id }.Concat(cache.Kept.Select(k => k.Id)).Distinct().Count());

        // Every id taken: a kept history gives its id way rather than a start failing.
        Assert.NotNull(cache.Start(Tokens(500, 20), 40));
        Assert.Single(cache.Kept);
        Assert.Equal(2, cache.Counters.Evictions(PrefixEviction.Entries));
    }

    [Fact]
    public void AHistoryThatExtendsAKeptOneReplacesItAndAPromptThatPartsFromOneCutsItBackToWhatTheyShare()
    {
        var cache = Cache();
        Finish(cache, Tokens(1, 30));
        var longer = Finish(cache, Tokens(1, 50));
        Assert.Equal([(longer, 50)], cache.Kept);
        Assert.Equal(1, cache.Counters.Evictions(PrefixEviction.Superseded));

        // A prompt that stops at 40: the kept tail after it goes, and the finished 40-token history adds nothing.
        Finish(cache, Tokens(1, 40));

        Assert.Equal([(longer, 40)], cache.Kept);
        Assert.Equal(40, _memory.UsedCells);
        Assert.Equal(40, cache.Counters.Cells);
    }

    [Fact]
    public void KeptHistoriesStayWithinTheirCellCapAndOneLongerThanTheCapIsNeverKept()
    {
        var cache = Cache(maxCells: 100);
        Finish(cache, Tokens(1, 101));
        Assert.Empty(cache.Kept);

        Finish(cache, Tokens(200, 60));
        var second = Finish(cache, Tokens(300, 60));

        Assert.Equal([second], cache.Kept.Select(k => k.Id));
        Assert.Equal(60, cache.Counters.Cells);
        Assert.Equal(1, cache.Counters.Evictions(PrefixEviction.Cap));
    }

    [Fact]
    public void WithoutEntriesNothingIsLookedUpOrKept()
    {
        var cache = new PrefixCache(_memory, PrefixCacheSettings.Off(2, 1000));
        Finish(cache, Tokens(1, 40));

        Assert.Equal(0, cache.Start(Tokens(1, 40), 50)!.Value.ReusedTokens);
        Assert.Empty(cache.Kept);
        Assert.Equal((0, 0), (cache.Counters.Hits, cache.Counters.Misses));
    }

    [Fact]
    public void TenThousandRandomRequestsLeaveOnlyTheKeptHistoriesCellsAndEvictingThemLeavesNone()
    {
        var random = new Random(18);
        var settings = new PrefixCacheSettings(RunningSequences: 4, Entries: 4, MaxCells: 256, MinTokens: 8, TotalCells: 4 * 256);
        var cache = new PrefixCache(_memory, settings);
        var prefixes = Enumerable.Range(0, 5).Select(p => Tokens(1000 * (p + 1), random.Next(8, 120))).ToArray();
        var running = new List<(int Id, int Reservation, List<int> History)>();
        for (var request = 0; request < 10_000; request++)
        {
            if (running.Count == settings.RunningSequences || (running.Count > 0 && random.Next(3) == 0))
            {
                var ended = running[random.Next(running.Count)];
                running.Remove(ended);
                cache.End(ended.Id, ended.Reservation, ended.History.ToArray(), keep: random.Next(10) > 0);
                continue;
            }

            var prompt = prefixes[random.Next(prefixes.Length)].Concat(Tokens(random.Next(1, 1 << 20), random.Next(1, 60))).ToArray();
            var decoded = random.Next(0, 50);
            var reservation = Math.Min(prompt.Length + decoded + random.Next(0, 20), 256);
            var start = cache.Start(prompt, reservation)!.Value;
            Assert.Equal(start.ReusedTokens > 0 ? (0, start.ReusedTokens - 1, start.ReusedTokens) : (-1, -1, 0), _memory.Range(start.Id));

            // Cancelled mid-prompt (part of it decoded) or ended after some of its answer.
            var history = prompt.Take(start.ReusedTokens).ToList();
            var fed = Math.Min(random.Next(2) == 0 ? random.Next(prompt.Length - start.ReusedTokens + 1) : prompt.Length - start.ReusedTokens + decoded, reservation - start.ReusedTokens);
            _memory.Decode(start.Id, fed);
            history.AddRange(prompt.Skip(start.ReusedTokens).Concat(Tokens(7, decoded)).Take(fed));
            running.Add((start.Id, reservation, history));
            Assert.True(_memory.UsedCells <= settings.TotalCells, $"{_memory.UsedCells} cells in use after request {request}");
        }

        foreach (var (id, reservation, history) in running)
        {
            cache.End(id, reservation, history.ToArray(), keep: true);
        }

        Assert.Equal(0, cache.ReservedCells);
        foreach (var (id, length) in cache.Kept)
        {
            Assert.Equal((0, length - 1, length), _memory.Range(id));
        }

        Assert.InRange(_memory.UsedCells, cache.Kept.Max(k => k.Length), cache.Kept.Sum(k => k.Length));
        Assert.Equal(cache.Kept.Sum(k => k.Length), cache.Counters.Cells);
        cache.EvictAll(PrefixEviction.NoSlot);
        Assert.Equal(0, _memory.UsedCells);
        Assert.True(cache.Counters.HitTokens > 10_000, $"only {cache.Counters.HitTokens} tokens reused");
    }

    private PrefixCache Cache(int running = 4, int entries = 4, int maxCells = 1000, int minTokens = 8, int totalCells = 4000) =>
        new(_memory, new PrefixCacheSettings(running, entries, maxCells, minTokens, totalCells));

    /// <summary>Runs a request whose whole prompt is decoded and ends it; returns the id it had.</summary>
    private int Finish(PrefixCache cache, int[] tokens, bool keep = true)
    {
        var start = cache.Start(tokens, tokens.Length)!.Value;
        _memory.Decode(start.Id, tokens.Length - start.ReusedTokens);
        cache.End(start.Id, tokens.Length, tokens, keep);
        return start.Id;
    }

    /// <summary>Keeps <paramref name="history"/> as a sequence that started from nothing (so it shares no cells with kept ones).</summary>
    private int Kept(PrefixCache cache, int[] history)
    {
        var start = cache.Start(Tokens(90_000, 1), history.Length)!.Value;
        _memory.Decode(start.Id, history.Length);
        cache.End(start.Id, history.Length, history, keep: true);
        return start.Id;
    }

    private static int[] Tokens(int first, int count) => [.. Enumerable.Range(first, count)];
}
