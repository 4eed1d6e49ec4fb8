namespace EdgeLlm.Retrieval.Tests.Vectors.Support;

/// <summary>Deterministic vectors for the index tests: uniformly random directions, or clustered ones.</summary>
internal static class TestVectors
{
    /// <summary>Vectors of random length and direction (components uniform in [-1, 1)), one per row.</summary>
    public static float[][] Random(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, dimensions).Select(_ => (random.NextSingle() * 2) - 1).ToArray())
            .ToArray();
    }

    /// <summary>
    /// Unit vectors around <paramref name="clusters"/> random centres (a member's cosine to its centre about
    /// 0.7), and queries that are stored vectors moved by a little noise, the way questions land near chunks.
    /// </summary>
    public static (float[][] Vectors, float[][] Queries) Clustered(int count, int dimensions, int clusters, int queries, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => Gaussian(random, dimensions, 1)).ToArray();
        var noise = 1 / MathF.Sqrt(dimensions);
        var vectors = Enumerable.Range(0, count)
            .Select(_ => Add(centres[random.Next(clusters)], Gaussian(random, dimensions, noise * Norm(centres[0]))))
            .ToArray();
        var nearby = Enumerable.Range(0, queries)
            .Select(_ => Add(vectors[random.Next(count)], Gaussian(random, dimensions, 0.5f * noise * Norm(vectors[0]))))
            .ToArray();
        return (vectors, nearby);
    }

    private static float[] Gaussian(Random random, int dimensions, float scale) =>
        Enumerable.Range(0, dimensions)
            .Select(_ => scale * MathF.Sqrt(-2 * MathF.Log(1 - random.NextSingle())) * MathF.Cos(2 * MathF.PI * random.NextSingle()))
            .ToArray();

    private static float[] Add(float[] a, float[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    private static float Norm(float[] vector) => MathF.Sqrt(vector.Sum(x => x * x));
}
