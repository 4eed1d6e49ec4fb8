using EdgeLlm.Routing.Classification;

namespace EdgeLlm.Api.Tests.Routing;

/// <summary>The classifier's vector arithmetic on hand-made vectors.</summary>
public sealed class CentroidsTests
{
    [Fact]
    public void ACentroidIsTheUnitMeanOfUnitExamplesSoALongExampleWeighsNoMoreThanAShortOne()
    {
        var centroid = Centroids.Of([[10f, 0f], [0f, 1f]]);

        Assert.Equal(Math.Sqrt(0.5), centroid[0], 5);
        Assert.Equal(Math.Sqrt(0.5), centroid[1], 5);
    }

    [Fact]
    public void CosineOfUnitVectorsRunsFromOppositeToSame()
    {
        var a = Centroids.Normalised([3f, 4f]);

        Assert.Equal(1f, Centroids.Cosine(a, a), 5);
        Assert.Equal(-1f, Centroids.Cosine(a, Centroids.Normalised([-3f, -4f])), 5);
        Assert.Equal(0f, Centroids.Cosine(a, Centroids.Normalised([4f, -3f])), 5);
        Assert.Equal(-1f, Centroids.Cosine(a, [1f, 0f, 0f]));
    }

    [Fact]
    public void AZeroVectorStaysZeroAndResemblesNothing()
    {
        var zero = Centroids.Normalised([0f, 0f]);

        Assert.Equal([0f, 0f], zero);
        Assert.Equal(0f, Centroids.Cosine(zero, Centroids.Normalised([1f, 1f])));
    }

    [Fact]
    public void TheNearestCentroidByCosineWinsWhateverTheVectorsLength()
    {
        (string, float[])[] centroids = [("east", Centroids.Normalised([1f, 0f])), ("north", Centroids.Normalised([0f, 1f]))];

        var (label, similarity) = Centroids.Nearest(centroids, Centroids.Normalised([100f, 20f]));

        Assert.Equal("east", label);
        Assert.Equal(100 / Math.Sqrt(100 * 100 + 20 * 20), similarity, 5);
        Assert.Equal("north", Centroids.Nearest(centroids, Centroids.Normalised([0.1f, 0.9f])).Label);
    }

    [Fact]
    public void ExamplesOfDifferentSizesCannotShareACentroid() =>
        Assert.Throws<ArgumentException>(() => Centroids.Of([[1f, 0f], [1f, 0f, 0f]]));
}
