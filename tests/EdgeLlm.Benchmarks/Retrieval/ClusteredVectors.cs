namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// Synthetic embeddings with the shape that matters to an index: unit vectors around random cluster centres
/// (a cluster per topic), each cluster with its own spread, and queries close to randomly chosen stored
/// vectors, the way a question lands near the chunk that answers it. Generated in parallel blocks, each from
/// its own seeded generator, so a size and seed always give the same vectors.
/// </summary>
internal sealed class ClusteredVectors
{
    private const int Block = 4096;

    private ClusteredVectors(int dimensions, float[] vectors, float[] queries)
    {
        Dimensions = dimensions;
        Vectors = vectors;
        Queries = queries;
    }

    public int Dimensions { get; }

    /// <summary>Row-major, one vector per row; vector i has id i.</summary>
    public float[] Vectors { get; }

    public float[] Queries { get; }

    public int Count => Vectors.Length / Dimensions;

    public int QueryCount => Queries.Length / Dimensions;

    public ReadOnlySpan<float> Vector(int index) => Vectors.AsSpan(index * Dimensions, Dimensions);

    public ReadOnlySpan<float> Query(int index) => Queries.AsSpan(index * Dimensions, Dimensions);

    /// <param name="count">Vectors to store.</param>
    /// <param name="dimensions">Length of each.</param>
    /// <param name="clusters">Cluster centres, uniformly random directions.</param>
    /// <param name="queries">Queries, each a random stored vector plus noise of length 0.5 (cosine about 0.89 to it).</param>
    /// <param name="seed">Seed of everything.</param>
    public static ClusteredVectors Generate(int count, int dimensions, int clusters, int queries, int seed)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimensions];
        var spreads = new float[clusters];
        for (var c = 0; c < clusters; c++)
        {
            FillGaussian(random, centres.AsSpan(c * dimensions, dimensions), 1);
            Normalise(centres.AsSpan(c * dimensions, dimensions));

            // The noise's length relative to the unit centre: a member's cosine to its centre is 1/√(1 + s²),
            // 0.64 to 0.82 here, and two members of one cluster meet at about 0.4 to 0.7.
            spreads[c] = 0.7f + (0.5f * random.NextSingle());
        }

        var vectors = new float[(long)count * dimensions];
        Parallel.For(0, (count + Block - 1) / Block, block =>
        {
            var blockRandom = new Random(HashCode.Combine(seed, block));
            for (var i = block * Block; i < Math.Min(count, (block + 1) * Block); i++)
            {
                var cluster = blockRandom.Next(clusters);
                var row = vectors.AsSpan(i * dimensions, dimensions);
                FillGaussian(blockRandom, row, spreads[cluster] / MathF.Sqrt(dimensions));
                for (var d = 0; d < dimensions; d++)
                {
                    row[d] += centres[(cluster * dimensions) + d];
                }

                Normalise(row);
            }
        });

        var queryVectors = new float[queries * dimensions];
        for (var q = 0; q < queries; q++)
        {
            var row = queryVectors.AsSpan(q * dimensions, dimensions);
            FillGaussian(random, row, 0.5f / MathF.Sqrt(dimensions));
            var near = vectors.AsSpan(random.Next(count) * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++)
            {
                row[d] += near[d];
            }

            Normalise(row);
        }

        return new ClusteredVectors(dimensions, vectors, queryVectors);
    }

    // Box-Muller: two uniform draws make two independent standard normal values.
    private static void FillGaussian(Random random, Span<float> values, float scale)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = scale * MathF.Sqrt(-2 * MathF.Log(1 - random.NextSingle()));
            var angle = 2 * MathF.PI * random.NextSingle();
            values[i] = radius * MathF.Cos(angle);
            if (i + 1 < values.Length)
            {
                values[i + 1] = radius * MathF.Sin(angle);
            }
        }
    }

    private static void Normalise(Span<float> row)
    {
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(row, row));
        for (var d = 0; d < row.Length; d++)
        {
            row[d] /= norm;
        }
    }
}
