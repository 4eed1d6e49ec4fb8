using EdgeLlm.Retrieval.Tests.Vectors.Support;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.Vectors;

/// <summary>
/// The SIMD kernels against plain loops. Each kernel's portable path is called directly too, since the
/// machine running the tests takes the AVX2 path while a Jetson (Arm) takes the other.
/// </summary>
public sealed class VectorKernelTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(384)]
    [InlineData(48)]
    [InlineData(20)]
    public void EveryInt8DotPathAgreesWithAPlainLoop(int dimensions)
    {
        var random = new Random(dimensions);
        const int vectors = 9;
        var codes = Enumerable.Range(0, vectors * dimensions).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var query = Enumerable.Range(0, dimensions).Select(_ => (short)random.Next(-32767, 32768)).ToArray();
        var expected = Enumerable.Range(0, vectors)
            .Select(v => Enumerable.Range(0, dimensions).Sum(d => (long)codes[(v * dimensions) + d] * query[d]))
            .ToArray();

        var paths = new List<Action<ReadOnlyMemory<sbyte>, ReadOnlyMemory<short>, Memory<int>>>
        {
            (c, q, d) => Int8Codes.DotAll(c.Span, q.Span, d.Span),
            (c, q, d) => Int8Codes.DotAllScalar(c.Span, q.Span, d.Span),
        };
        if (dimensions % 16 == 0)
        {
            paths.Add((c, q, d) => Int8Codes.DotAllVector128(c.Span, q.Span, d.Span));
        }

        foreach (var path in paths)
        {
            var dots = new int[vectors];
            path(codes, query, dots);
            Assert.Equal(expected, dots.Select(d => (long)d));
        }
    }

    [Fact]
    public void AQuantisedDotProductIsCloseToTheFloatOne()
    {
        var vectors = TestVectors.Random(50, 384, seed: 1).Select(Unit).ToArray();
        var query = Unit(TestVectors.Random(1, 384, seed: 2)[0]);
        var queryCodes = new short[384];
        var queryScale = Int8Codes.EncodeQuery(query, queryCodes);

        foreach (var vector in vectors)
        {
            var codes = new sbyte[384];
            var scale = Int8Codes.Encode(vector, codes);
            var dots = new int[1];
            Int8Codes.DotAll(codes, queryCodes, dots);

            Assert.Equal(BruteForce.Cosine(vector, query), dots[0] * scale * queryScale, 0.005);
        }
    }

    [Theory]
    [InlineData(64, 10, 13)]
    [InlineData(64, 7, 8)]
    [InlineData(36, 5, 9)]
    public void NearestCentroidAssignmentAgreesWithAPlainArgmax(int dimensions, int vectorCount, int centroidCount)
    {
        var vectors = TestVectors.Random(vectorCount, dimensions, seed: 3).Select(Unit).ToArray();
        var centroids = TestVectors.Random(centroidCount, dimensions, seed: 4).Select(Unit).ToArray();
        var expected = vectors
            .Select(v => Enumerable.Range(0, centroidCount).MaxBy(c => BruteForce.Cosine(v, centroids[c])))
            .ToArray();

        var nearest = new int[vectorCount];
        var best = new float[vectorCount];
        CentroidKernel.AssignNearest(vectors.SelectMany(v => v).ToArray(), centroids.SelectMany(c => c).ToArray(), dimensions, nearest, best);

        Assert.Equal(expected, nearest);
        for (var v = 0; v < vectorCount; v++)
        {
            Assert.Equal(BruteForce.Cosine(vectors[v], centroids[nearest[v]]), best[v], 1e-5);
            Assert.Equal(nearest[v], IvfLayout.NearestCentroid(centroids.SelectMany(c => c).ToArray(), vectors[v]));
        }
    }

    private static float[] Unit(float[] vector)
    {
        var norm = (float)Math.Sqrt(vector.Sum(x => (double)x * x));
        return vector.Select(x => x / norm).ToArray();
    }
}
