using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.Vectors;

public sealed class VectorIndexFactoryTests
{
    [Fact]
    public void TheApproximateIndexIsUsedUnlessItIsTurnedOff()
    {
        Assert.IsType<IvfVectorIndex>(new VectorIndexFactory(new VectorIndexOptions()).Create(8));
        Assert.IsType<ExactVectorIndex>(new VectorIndexFactory(new VectorIndexOptions { ApproximateFrom = 0 }).Create(8));
    }

    [Fact]
    public void ALoaderBuildsOneIndexAndThenRefusesMoreWork()
    {
        var loader = new VectorIndexFactory(new VectorIndexOptions()).StartLoading(2, expectedCount: 10);
        loader.Add(1, [1, 0]);
        loader.Add(1, [0, 1]);
        var index = loader.Finish();

        Assert.Equal(1, index.Count);
        Assert.Equal(1f, index.Search([0, 1], 1)[0].Score, 1e-6f);
        Assert.Throws<InvalidOperationException>(() => loader.Add(2, [1, 1]));
        Assert.Throws<InvalidOperationException>(() => loader.Finish());
    }

    [Fact]
    public void AnUntrainedIndexHasNoStateToSave()
    {
        var index = new IvfVectorIndex(2);
        index.Upsert(1, [1, 0]);

        Assert.Null(index.ExportState());
    }
}
