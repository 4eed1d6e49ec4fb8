using System.Numerics.Tensors;

namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// k-means on the unit sphere (similarity is the dot product, each centroid the normalised mean of its
/// members), trained on a random sample: k-means++ seeding, then Lloyd iterations until few members move.
/// Deterministic for a seed: random choices are sequential, and parallel loops only fill per-vector results.
/// </summary>
internal static class SphericalKMeans
{
    /// <summary>Training points per centroid: the low end of what k-means needs (faiss warns below 39).</summary>
    private const int SamplesPerCentroid = 48;

    private const int MaxIterations = 12;

    /// <summary>Stop once fewer than this share of the sample changes centroid in an iteration.</summary>
    private const double SettledShare = 0.002;

    private const int AssignBlock = 64;

    /// <summary>Trains <paramref name="centroidCount"/> unit centroids (row-major) on the store's vectors.</summary>
    public static float[] Train(VectorStore store, int centroidCount, int seed)
    {
        var dimensions = store.Dimensions;
        var random = new Random(seed);
        var sampleCount = (int)Math.Min(store.Count, (long)centroidCount * SamplesPerCentroid);
        var sample = Sample(store, sampleCount, random);
        var centroids = SeedPlusPlus(sample, sampleCount, dimensions, centroidCount, random);

        var labels = new int[sampleCount];
        var similarity = new float[sampleCount];
        Array.Fill(labels, -1);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var moved = AssignAll(sample, sampleCount, dimensions, centroids, labels, similarity);
            MoveCentroids(sample, dimensions, labels, similarity, centroids);
            if (moved <= sampleCount * SettledShare)
            {
                break;
            }
        }

        return centroids;
    }

    /// <summary>
    /// Sets <paramref name="labels"/>[i] to the centroid nearest vector i, and <paramref name="similarity"/>[i]
    /// to its dot product with it, in parallel blocks; returns how many labels changed.
    /// </summary>
    public static int AssignAll(float[] vectors, int count, int dimensions, float[] centroids, int[] labels, float[] similarity)
    {
        var moved = 0;
        var blocks = (count + AssignBlock - 1) / AssignBlock;
        Parallel.For(0, blocks, () => 0, (block, _, blockMoved) =>
        {
            var first = block * AssignBlock;
            var size = Math.Min(AssignBlock, count - first);
            Span<int> nearest = stackalloc int[size];
            CentroidKernel.AssignNearest(
                vectors.AsSpan(first * dimensions, size * dimensions), centroids, dimensions, nearest, similarity.AsSpan(first, size));
            for (var i = 0; i < size; i++)
            {
                if (labels[first + i] != nearest[i])
                {
                    labels[first + i] = nearest[i];
                    blockMoved++;
                }
            }

            return blockMoved;
        }, blockMoved => Interlocked.Add(ref moved, blockMoved));
        return moved;
    }

    private static float[] Sample(VectorStore store, int sampleCount, Random random)
    {
        var dimensions = store.Dimensions;
        var slots = new int[store.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = i;
        }

        // A partial Fisher-Yates shuffle: the first sampleCount slots end up a uniform sample without repeats.
        for (var i = 0; i < sampleCount; i++)
        {
            var pick = random.Next(i, slots.Length);
            (slots[i], slots[pick]) = (slots[pick], slots[i]);
        }

        var sample = new float[sampleCount * dimensions];
        for (var i = 0; i < sampleCount; i++)
        {
            store.Vector(slots[i]).CopyTo(sample.AsSpan(i * dimensions, dimensions));
        }

        return sample;
    }

    // k-means++: each next centroid is a sample point drawn with probability proportional to its squared
    // distance from the nearest centroid so far (on unit vectors, 2 - 2 × similarity).
    private static float[] SeedPlusPlus(float[] sample, int sampleCount, int dimensions, int centroidCount, Random random)
    {
        var centroids = new float[centroidCount * dimensions];
        var nearest = new float[sampleCount];
        var scores = new float[sampleCount];
        Array.Fill(nearest, float.NegativeInfinity);
        var pick = random.Next(sampleCount);
        for (var centroid = 0; centroid < centroidCount; centroid++)
        {
            var row = centroids.AsSpan(centroid * dimensions, dimensions);
            sample.AsSpan(pick * dimensions, dimensions).CopyTo(row);
            var added = centroid * dimensions;
            var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, sampleCount / 4096));
            Parallel.For(0, parts, part =>
            {
                var from = sampleCount * part / parts;
                var to = sampleCount * (part + 1) / parts;
                var partScores = scores.AsSpan(from, to - from);
                CentroidKernel.ScoreAll(centroids.AsSpan(added, dimensions), sample.AsSpan(from * dimensions, (to - from) * dimensions), partScores);
                TensorPrimitives.Max(nearest.AsSpan(from, to - from), partScores, nearest.AsSpan(from, to - from));
            });

            var total = 0.0;
            foreach (var similarity in nearest)
            {
                total += Math.Max(0, 1 - similarity);
            }

            pick = total > 0 ? Draw(nearest, random.NextDouble() * total) : random.Next(sampleCount);
        }

        return centroids;
    }

    private static int Draw(float[] nearest, double target)
    {
        for (var i = 0; i < nearest.Length; i++)
        {
            target -= Math.Max(0, 1 - nearest[i]);
            if (target < 0)
            {
                return i;
            }
        }

        return nearest.Length - 1;
    }

    // Each centroid becomes the normalised sum of its members. A centroid left with no members (or members
    // that cancel out) takes over the sample point its own centroid fits worst, so no list stays empty.
    private static void MoveCentroids(float[] sample, int dimensions, int[] labels, float[] similarity, float[] centroids)
    {
        var centroidCount = centroids.Length / dimensions;
        var members = new int[centroidCount];
        Array.Clear(centroids);
        for (var i = 0; i < labels.Length; i++)
        {
            var row = centroids.AsSpan(labels[i] * dimensions, dimensions);
            TensorPrimitives.Add(row, sample.AsSpan(i * dimensions, dimensions), row);
            members[labels[i]]++;
        }

        using var worstFirst = Enumerable.Range(0, labels.Length).OrderBy(i => similarity[i]).GetEnumerator();
        for (var centroid = 0; centroid < centroidCount; centroid++)
        {
            var row = centroids.AsSpan(centroid * dimensions, dimensions);
            var norm = TensorPrimitives.Norm(row);
            if (members[centroid] > 0 && norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
            else if (worstFirst.MoveNext())
            {
                sample.AsSpan(worstFirst.Current * dimensions, dimensions).CopyTo(row);
            }
        }
    }
}
