using EdgeLlm.Retrieval.Tests.Vectors.Support;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.Vectors;

public sealed class ExactVectorIndexTests
{
    private const int Dimensions = 32;

    [Fact]
    public void SearchGivesTheSameHitsAsABruteForceCosineScan()
    {
        var (index, vectors) = Filled(2_000, seed: 1);

        foreach (var query in TestVectors.Random(20, Dimensions, seed: 2))
        {
            AssertSameHits(BruteForce.Search(vectors, query, 10), index.Search(query, 10));
        }
    }

    [Fact]
    public void AScanSpreadOverTheCoresGivesTheSameHitsAsOneCore()
    {
        var (single, vectors) = Filled(3_000, seed: 3);
        var parallel = new ExactVectorIndex(Dimensions, parallelScanFrom: 1);
        foreach (var (id, vector) in vectors)
        {
            parallel.Upsert(id, vector);
        }

        foreach (var query in TestVectors.Random(10, Dimensions, seed: 4))
        {
            Assert.Equal(single.Search(query, 25), parallel.Search(query, 25));
        }
    }

    [Fact]
    public void ScoresAreCosinesWhateverTheVectorsLength()
    {
        var index = new ExactVectorIndex(3);
        index.Upsert(1, [1000, 0, 0]);
        index.Upsert(2, [0.001f, 0.001f, 0]);
        index.Upsert(3, [-5, 0, 0]);

        var hits = index.Search([2, 0, 0], 3);

        Assert.Equal([1L, 2L, 3L], hits.Select(h => h.Id));
        Assert.Equal(1f, hits[0].Score, 1e-6f);
        Assert.Equal(MathF.Sqrt(0.5f), hits[1].Score, 1e-6f);
        Assert.Equal(-1f, hits[2].Score, 1e-6f);
    }

    [Fact]
    public void EqualScoresAreOrderedByIdSoResultsDoNotDependOnInsertionOrder()
    {
        var index = new ExactVectorIndex(2);
        foreach (var id in new long[] { 9, 4, 7, 1 })
        {
            index.Upsert(id, [1, 1]);
        }

        Assert.Equal([1L, 4L, 7L], index.Search([1, 1], 3).Select(h => h.Id));
    }

    [Fact]
    public void AskingForMoreHitsThanVectorsReturnsThemAll()
    {
        var (index, _) = Filled(5, seed: 5);

        Assert.Equal(5, index.Search(TestVectors.Random(1, Dimensions, seed: 6)[0], 100).Count);
        Assert.Empty(new ExactVectorIndex(Dimensions).Search(Enumerable.Repeat(1f, Dimensions).ToArray(), 10));
    }

    [Fact]
    public void UpsertReplacesTheVectorOfAnIdThatIsAlreadyThere()
    {
        var (index, vectors) = Filled(200, seed: 7);
        var replacement = TestVectors.Random(1, Dimensions, seed: 8)[0];

        index.Upsert(42, replacement);
        vectors[42] = replacement;

        Assert.Equal(200, index.Count);
        Assert.Equal(new VectorHit(42, 1f), index.Search(replacement, 1)[0], HitComparer);
        AssertSameHits(BruteForce.Search(vectors, replacement, 10), index.Search(replacement, 10));
    }

    [Fact]
    public void RemovalsFromAnywhereLeaveEveryOtherVectorWhereSearchFindsIt()
    {
        var (index, vectors) = Filled(500, seed: 9);
        var random = new Random(10);
        foreach (var id in vectors.Keys.OrderBy(_ => random.Next()).Take(200).ToList())
        {
            Assert.True(index.Remove(id));
            vectors.Remove(id);
        }

        Assert.False(index.Remove(vectors.Keys.Max() + 1000));
        Assert.Equal(300, index.Count);
        foreach (var (id, vector) in vectors)
        {
            Assert.Equal(id, index.Search(vector, 1)[0].Id);
        }

        foreach (var query in TestVectors.Random(10, Dimensions, seed: 11))
        {
            AssertSameHits(BruteForce.Search(vectors, query, 10), index.Search(query, 10));
        }
    }

    [Fact]
    public void AFilterKeepsOutTheIdsItRejects()
    {
        var (index, vectors) = Filled(1_000, seed: 12);

        foreach (var query in TestVectors.Random(10, Dimensions, seed: 13))
        {
            var hits = index.Search(query, 10, id => id % 3 == 0);

            Assert.All(hits, hit => Assert.Equal(0, hit.Id % 3));
            AssertSameHits(BruteForce.Search(vectors, query, 10, id => id % 3 == 0), hits);
        }
    }

    [Fact]
    public void SearchAmongScoresOnlyTheGivenCandidatesAndSkipsUnknownOnes()
    {
        var (index, vectors) = Filled(1_000, seed: 14);
        var candidates = vectors.Keys.Where((_, i) => i % 97 == 0).Append(5_000_000).ToArray();
        var query = TestVectors.Random(1, Dimensions, seed: 15)[0];

        var hits = index.SearchAmong(query, 4, candidates);

        AssertSameHits(BruteForce.Search(vectors, query, 4, candidates.Contains), hits);
    }

    /// <summary>All zeros, a NaN, an infinity, one dimension short, one too many.</summary>
    public static TheoryData<float[]> BadVectors => new()
    {
        new float[Dimensions],
        Enumerable.Range(0, Dimensions).Select(i => i == 5 ? float.NaN : 1f).ToArray(),
        Enumerable.Range(0, Dimensions).Select(i => i == 0 ? float.PositiveInfinity : 1f).ToArray(),
        Enumerable.Repeat(1f, Dimensions - 1).ToArray(),
        Enumerable.Repeat(1f, Dimensions + 1).ToArray(),
    };

    [Theory]
    [MemberData(nameof(BadVectors))]
    public void AVectorWithoutADirectionIsRefusedAndChangesNothing(float[] vector)
    {
        var (index, vectors) = Filled(50, seed: 16);

        Assert.Throws<ArgumentException>(() => index.Upsert(7, vector));
        Assert.Throws<ArgumentException>(() => index.Upsert(1_000, vector));
        Assert.Throws<ArgumentException>(() => index.Search(vector, 5));

        Assert.Equal(50, index.Count);
        Assert.Equal(new VectorHit(7, 1f), index.Search(vectors[7], 1)[0], HitComparer);
    }

    [Fact]
    public void HugeAndTinyComponentsStillHaveADirection()
    {
        var index = new ExactVectorIndex(2);
        index.Upsert(1, [3e38f, 3e38f]);
        index.Upsert(2, [1e-44f, 0]);

        Assert.Equal(new VectorHit(1, 1f), index.Search([1, 1], 1)[0], HitComparer);
        Assert.Equal(new VectorHit(2, 1f), index.Search([1, 0], 1)[0], HitComparer);
    }

    [Fact]
    public void ANonPositiveKIsRefused()
    {
        var (index, vectors) = Filled(10, seed: 17);

        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(vectors[7], 0));
    }

    internal static IEqualityComparer<VectorHit> HitComparer { get; } =
        EqualityComparer<VectorHit>.Create((a, b) => a.Id == b.Id && Math.Abs(a.Score - b.Score) < 1e-5f, h => h.Id.GetHashCode());

    internal static void AssertSameHits(IReadOnlyList<VectorHit> expected, IReadOnlyList<VectorHit> actual) =>
        Assert.Equal(expected, actual, HitComparer);

    private static (ExactVectorIndex Index, Dictionary<long, float[]> Vectors) Filled(int count, int seed)
    {
        var index = new ExactVectorIndex(Dimensions);
        var vectors = new Dictionary<long, float[]>();
        foreach (var (vector, i) in TestVectors.Random(count, Dimensions, seed).Select((v, i) => (v, i)))
        {
            // Sparse, unordered ids, as a store's chunk ids would be after deletions.
            long id = i == 7 || i == 42 ? i : (i * 7919L) + 100;
            index.Upsert(id, vector);
            vectors[id] = vector;
        }

        return (index, vectors);
    }
}
