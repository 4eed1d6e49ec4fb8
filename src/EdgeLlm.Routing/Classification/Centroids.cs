namespace EdgeLlm.Routing.Classification;

/// <summary>The vector arithmetic of the nearest-centroid classifier: unit length, means and cosine similarity.</summary>
internal static class Centroids
{
    /// <summary>A copy of <paramref name="vector"/> scaled to unit length; a zero vector stays zero (it is similar to nothing).</summary>
    public static float[] Normalised(ReadOnlySpan<float> vector)
    {
        var length = Math.Sqrt(Dot(vector, vector));
        var unit = new float[vector.Length];
        if (length > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                unit[i] = (float)(vector[i] / length);
            }
        }

        return unit;
    }

    /// <summary>
    /// The unit-length mean of the examples' unit vectors: each example weighs the same whatever its own length, and
    /// the cosine with a unit prompt vector is then a plain dot product.
    /// </summary>
    public static float[] Of(IReadOnlyList<float[]> examples)
    {
        if (examples.Count == 0)
        {
            throw new ArgumentException("A centroid needs at least one example.", nameof(examples));
        }

        var sum = new double[examples[0].Length];
        foreach (var example in examples)
        {
            if (example.Length != sum.Length)
            {
                throw new ArgumentException($"Examples of {example.Length} and {sum.Length} dimensions cannot share a centroid.", nameof(examples));
            }

            var unit = Normalised(example);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += unit[i];
            }
        }

        return Normalised([.. sum.Select(s => (float)(s / examples.Count))]);
    }

    /// <summary>The cosine similarity of two unit vectors (their dot product), -1 to 1; vectors of different sizes are not similar (-1).</summary>
    public static float Cosine(ReadOnlySpan<float> unitA, ReadOnlySpan<float> unitB) =>
        unitA.Length == unitB.Length ? (float)Dot(unitA, unitB) : -1f;

    /// <summary>The label of the centroid nearest to <paramref name="unit"/> by cosine, and that cosine.</summary>
    public static (string Label, float Similarity) Nearest(IReadOnlyList<(string Label, float[] Centroid)> centroids, ReadOnlySpan<float> unit)
    {
        var best = (Label: centroids[0].Label, Similarity: float.NegativeInfinity);
        foreach (var (label, centroid) in centroids)
        {
            var similarity = Cosine(centroid, unit);
            if (similarity > best.Similarity)
            {
                best = (label, similarity);
            }
        }

        return best;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
