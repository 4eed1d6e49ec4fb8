using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

public sealed class PromptLookupDrafterTests
{
    [Fact]
    public void TheTokensAfterTheLatestEarlierOccurrenceAreProposed()
    {
        var drafter = Drafter(2, 4, [7, 1, 2, 10, 11, 7, 1, 2, 20, 21, 7, 1, 2]);

        // Past the end of the history the copy goes on with its own drafts: the text repeats with its period.
        Assert.Equal([20, 21, 7, 1, 2, 20, 21, 7], Propose(drafter, room: 8));
    }

    [Fact]
    public void ALongerMatchingSuffixIsPreferredToAMoreRecentShorterOne()
    {
        var drafter = Drafter(2, 3, [1, 2, 3, 40, 41, 9, 2, 3, 50, 51, 1, 2, 3]);

        Assert.Equal([40, 41, 9], Propose(drafter, room: 3));
    }

    [Fact]
    public void NoMoreTokensAreProposedThanThereIsRoomFor()
    {
        var drafter = Drafter(2, 4, [5, 6, 7, 8, 9, 10, 5, 6]);

        Assert.Equal([7, 8], Propose(drafter, room: 2));
        Assert.Empty(Propose(drafter, room: 0));
    }

    [Fact]
    public void TextThatNeverRepeatsGetsNoDrafts()
    {
        var drafter = Drafter(2, 4, [1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 4, 6]);

        Assert.Empty(Propose(drafter, room: 8));
        Assert.Empty(Propose(Drafter(2, 4, []), room: 8));
        Assert.Empty(Propose(Drafter(2, 4, [3, 3]), room: 8)); // [3, 3] has no earlier occurrence yet.
    }

    [Fact]
    public void AcceptedOutputIsIndexedAsItIsAppended()
    {
        var drafter = Drafter(2, 4, [5, 6, 7, 8]);
        Assert.Empty(Propose(drafter, room: 8));

        drafter.Append(5);
        Assert.Empty(Propose(drafter, room: 8));
        drafter.Append(6);

        Assert.Equal(6, drafter.Count);
        Assert.Equal([7, 8, 5, 6, 7, 8, 5, 6], Propose(drafter, room: 8));
        drafter.Append([7, 8, 5, 6, 7]);
        Assert.Equal([8, 5, 6, 7, 8, 5, 6, 7], Propose(drafter, room: 8));
    }

    [Fact]
    public void AMatchEndingNearTheEndRepeatsItsPeriodToFillTheRoom()
    {
        // The latest earlier [1, 1, 1] ends one token before the end: a loop of one token, proposed as long as there is room.
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1], Propose(Drafter(2, 4, [1, 1, 1, 1]), room: 8));
        Assert.Equal([3, 4, 3, 4, 3], Propose(Drafter(2, 2, [9, 3, 4, 3, 4]), room: 5));
    }

    [Fact]
    public void AHashCollisionNeverProposesAnotherContext()
    {
        // Every n-gram hashes alike, so each lookup finds whichever n-gram was indexed last.
        static ulong Collide(ulong hash, int token) => 0;

        var unrelated = new PromptLookupDrafter(2, 2, Collide);
        unrelated.Append([1, 2, 3, 4, 1, 2]);
        Assert.Empty(Propose(unrelated, room: 8)); // The key holds [4, 1] ending at 5; proposing its "2" would be wrong.

        var same = new PromptLookupDrafter(2, 2, Collide);
        same.Append([9, 1, 1, 1]);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1], Propose(same, room: 8)); // The key holds [1, 1] ending at 3: a true match.
    }

    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(2, 4, 3)]
    [InlineData(3, 8, 2)]
    public void ProposalsAgreeWithABruteForceSearchOverRandomText(int ngramMin, int ngramMax, int vocabulary)
    {
        var random = new Random(ngramMin * 100 + ngramMax);
        var drafter = new PromptLookupDrafter(ngramMin, ngramMax);
        var history = new List<int>();
        var proposedSome = 0;
        for (var step = 0; step < 3000; step++)
        {
            var token = random.Next(vocabulary);
            drafter.Append(token);
            history.Add(token);
            var room = random.Next(0, 10);

            var expected = BruteForce(history, ngramMin, ngramMax, room);
            Assert.Equal(expected, Propose(drafter, room));
            proposedSome += expected.Length > 0 ? 1 : 0;
        }

        Assert.True(proposedSome > 1000, $"only {proposedSome} steps had a match");
    }

    [Fact]
    public void NgramLengthsOutsideTheirRangeAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLookupDrafter(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PromptLookupDrafter(4, 3));
    }

    private static PromptLookupDrafter Drafter(int ngramMin, int ngramMax, int[] tokens)
    {
        var drafter = new PromptLookupDrafter(ngramMin, ngramMax);
        drafter.Append(tokens);
        Assert.Equal(tokens, drafter.Tokens.ToArray());
        return drafter;
    }

    private static int[] Propose(PromptLookupDrafter drafter, int room)
    {
        var into = new int[room];
        var count = drafter.Propose(into);
        return into[..count];
    }

    /// <summary>The rule stated plainly: longest n first, latest earlier end position, copy up to the room, repeating the period past the end.</summary>
    private static int[] BruteForce(List<int> history, int ngramMin, int ngramMax, int room)
    {
        if (room == 0)
        {
            return [];
        }

        for (var n = ngramMax; n >= ngramMin; n--)
        {
            for (var end = history.Count - 1; end >= n; end--)
            {
                var matches = true;
                for (var i = 1; i <= n && matches; i++)
                {
                    matches = history[end - i] == history[history.Count - i];
                }

                if (matches)
                {
                    var period = history.Count - end;
                    return Enumerable.Range(0, room).Select(i => history[end + (i % period)]).ToArray();
                }
            }
        }

        return [];
    }
}
