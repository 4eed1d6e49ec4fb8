using EdgeLlm.Retrieval.Tests.Vectors.Support;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.Vectors;

public sealed class IvfVectorIndexTests
{
    private const int Dimensions = 64;
    private const int Count = 20_000;

    private static readonly Lazy<(float[][] Vectors, float[][] Queries)> Data =
        new(() => TestVectors.Clustered(Count, Dimensions, clusters: 200, queries: 200, seed: 41));

    private static readonly Lazy<ExactVectorIndex> Exact = new(() =>
    {
        var exact = new ExactVectorIndex(Dimensions);
        for (var id = 0; id < Count; id++)
        {
            exact.Upsert(id, Data.Value.Vectors[id]);
        }

        return exact;
    });

    /// <summary>One trained index for the tests that only search it: k-means is the slow part of a test.</summary>
    private static readonly Lazy<IvfVectorIndex> Trained = new(() => Loaded(Options));

    private static VectorIndexOptions Options => new() { ApproximateFrom = 5_000 };

    [Fact]
    public void RecallAt10AgainstTheExactScanIsAtLeast95Percent()
    {
        var index = Trained.Value;

        Assert.Equal(Count, index.TrainedCount);
        Assert.True(Recall(index) >= 0.95, $"recall@10 {Recall(index):F3}");
    }

    [Fact]
    public void BelowApproximateFromItSearchesExactly()
    {
        var index = new IvfVectorIndex(Dimensions, new VectorIndexOptions { ApproximateFrom = 1_000 });
        var exact = new ExactVectorIndex(Dimensions);
        for (var id = 0; id < 999; id++)
        {
            index.Upsert(id, Data.Value.Vectors[id]);
            exact.Upsert(id, Data.Value.Vectors[id]);
        }

        Assert.Equal(0, index.TrainedCount);
        foreach (var query in Data.Value.Queries.Take(20))
        {
            Assert.Equal(exact.Search(query, 10), index.Search(query, 10));
        }
    }

    [Fact]
    public void ItTrainsOnReachingApproximateFromAndRetrainsAtTwiceTheTrainedSize()
    {
        var index = new IvfVectorIndex(Dimensions, new VectorIndexOptions { ApproximateFrom = 1_000 });
        var trainedAt = new List<int>();
        for (var id = 0; id < 4_100; id++)
        {
            index.Upsert(id, Data.Value.Vectors[id]);
            if (trainedAt.LastOrDefault() != index.TrainedCount)
            {
                trainedAt.Add(index.TrainedCount);
            }
        }

        Assert.Equal([1_000, 2_000, 4_000], trainedAt);
    }

    [Fact]
    public void UpsertsAndRemovalsAfterTrainingAreFollowed()
    {
        var index = Loaded(Options);
        var vectors = Data.Value.Vectors;

        var removed = Enumerable.Range(0, Count).Where(id => id % 10 == 3).Select(id => (long)id).ToHashSet();
        foreach (var id in removed)
        {
            Assert.True(index.Remove(id));
        }

        // New ids, and old ids given the vector of another: each must be found by its (new) vector.
        var added = Enumerable.Range(0, 500).ToDictionary(i => (long)(Count + i), i => vectors[(i * 37) % Count]);
        added[5] = vectors[19_999];
        foreach (var (id, vector) in added)
        {
            index.Upsert(id, vector);
        }

        Assert.Equal(Count - removed.Count + 500, index.Count);
        Assert.Equal(Count, index.TrainedCount);
        foreach (var query in Data.Value.Queries)
        {
            Assert.DoesNotContain(index.Search(query, 10), hit => removed.Contains(hit.Id));
        }

        foreach (var (id, vector) in added.Where(pair => !removed.Contains(pair.Key)))
        {
            Assert.Contains(index.Search(vector, 3), hit => hit.Id == id && hit.Score > 0.9999f);
        }
    }

    [Fact]
    public void ASelectiveFilterStillGetsKHitsBecauseProbingWidens()
    {
        var index = Trained.Value;

        foreach (var query in Data.Value.Queries.Take(20))
        {
            var hits = index.Search(query, 10, id => id % 499 == 0);

            Assert.Equal(10, hits.Count);
            Assert.All(hits, hit => Assert.Equal(0, hit.Id % 499));
        }
    }

    [Fact]
    public void SearchAmongFewCandidatesIsExact()
    {
        var index = Trained.Value;
        var candidates = Enumerable.Range(0, Count).Where(id => id % 101 == 0).Select(id => (long)id).ToArray();

        foreach (var query in Data.Value.Queries.Take(20))
        {
            Assert.Equal(Exact.Value.SearchAmong(query, 10, candidates), index.SearchAmong(query, 10, candidates));
        }
    }

    [Fact]
    public void AnIndexStartedFromExportedStateAnswersExactlyLikeTheOneThatTrained()
    {
        var trained = Trained.Value;
        var state = trained.ExportState();
        Assert.NotNull(state);

        // The store may hand the vectors over in another order after a restart.
        var loader = new VectorIndexFactory(Options).StartLoading(Dimensions, Count);
        for (var id = Count - 1; id >= 0; id--)
        {
            loader.Add(id, Data.Value.Vectors[id]);
        }

        var restarted = (IvfVectorIndex)loader.Finish(state);

        Assert.True(loader.UsedSavedState);
        Assert.Equal(trained.TrainedCount, restarted.TrainedCount);
        foreach (var query in Data.Value.Queries)
        {
            Assert.Equal(trained.Search(query, 10), restarted.Search(query, 10));
        }
    }

    [Fact]
    public void AStaleStateStillWorksForVectorsAddedOrRemovedSinceItWasSaved()
    {
        var before = Loaded(Options, count: 15_000);
        var state = before.ExportState();

        var loader = new VectorIndexFactory(Options).StartLoading(Dimensions);
        for (var id = 1_000; id < Count; id++)
        {
            loader.Add(id, Data.Value.Vectors[id]);
        }

        var restarted = (IvfVectorIndex)loader.Finish(state);

        Assert.True(loader.UsedSavedState);
        Assert.Equal(15_000, restarted.TrainedCount);
        for (var id = 15_000; id < Count; id += 97)
        {
            Assert.Equal(id, restarted.Search(Data.Value.Vectors[id], 1)[0].Id);
        }

        Assert.DoesNotContain(Data.Value.Queries.SelectMany(q => restarted.Search(q, 10)), hit => hit.Id < 1_000);
    }

    [Fact]
    public void AStateThatDoesNotFitIsIgnoredAndTheIndexTrainsInstead()
    {
        var state = Trained.Value.ExportState()!;
        var otherDimensions = new IvfVectorIndex(8, new VectorIndexOptions { ApproximateFrom = 100 });
        var random = new Random(5);
        for (var id = 0; id < 100; id++)
        {
            otherDimensions.Upsert(id, Enumerable.Range(0, 8).Select(_ => random.NextSingle() - 0.5f).ToArray());
        }

        foreach (var unusable in new[] { state[..^5], state.Select((b, i) => i == 0 ? (byte)'X' : b).ToArray(), otherDimensions.ExportState()! })
        {
            var loader = new VectorIndexFactory(Options).StartLoading(Dimensions);
            for (var id = 0; id < 6_000; id++)
            {
                loader.Add(id, Data.Value.Vectors[id]);
            }

            var index = (IvfVectorIndex)loader.Finish(unusable);

            Assert.False(loader.UsedSavedState);
            Assert.Equal(6_000, index.TrainedCount);
        }
    }

    [Fact]
    public async Task SearchesRunSafelyWhileWritesAndARetrainingGoOn()
    {
        var index = new IvfVectorIndex(Dimensions, new VectorIndexOptions { ApproximateFrom = 1_000 });
        for (var id = 0; id < 700; id++)
        {
            index.Upsert(id, Data.Value.Vectors[id]);
        }

        using var writesDone = new CancellationTokenSource();
        using var searching = new CountdownEvent(2);
        var searchers = Enumerable.Range(0, 2).Select(s => Task.Run(() =>
        {
            var searches = 0;
            do
            {
                var hits = index.Search(Data.Value.Queries[searches++ % 200], 10);
                Assert.Equal(10, hits.Count);
                Assert.Equal(hits.Count, hits.Select(h => h.Id).Distinct().Count());
                if (searches == 1)
                {
                    searching.Signal();
                }
            }
            while (!writesDone.IsCancellationRequested);

            return searches;
        })).ToArray();
        Assert.True(searching.Wait(TimeSpan.FromSeconds(30)), "the searchers did not start");

        // Grow past ApproximateFrom and then past twice that (two trainings), removing as it goes.
        for (var id = 700; id < 2_900; id++)
        {
            index.Upsert(id, Data.Value.Vectors[id]);
            if (id % 3 == 0)
            {
                index.Remove(id - 500);
            }
        }

        await writesDone.CancelAsync();
        await Task.WhenAll(searchers);
        Assert.Equal(2_000, index.TrainedCount);
    }

    private static IvfVectorIndex Loaded(VectorIndexOptions options, int count = Count)
    {
        var loader = new VectorIndexFactory(options).StartLoading(Dimensions, count);
        for (var id = 0; id < count; id++)
        {
            loader.Add(id, Data.Value.Vectors[id]);
        }

        return (IvfVectorIndex)loader.Finish();
    }

    private static double Recall(IVectorIndex index) =>
        BruteForce.Recall(
            Data.Value.Queries.Select(q => index.Search(q, 10)).ToArray(),
            Data.Value.Queries.Select(q => Exact.Value.Search(q, 10)).ToArray());
}
