using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.Vectors.Support;

/// <summary>
/// The answer an index must give, computed the slow, obvious way: cosine in double precision with plain
/// loops over every vector, sorted by score then id. Shares no code with the indexes.
/// </summary>
internal static class BruteForce
{
    public static VectorHit[] Search(IReadOnlyDictionary<long, float[]> vectors, float[] query, int k, Func<long, bool>? filter = null) =>
        vectors
            .Where(pair => filter is null || filter(pair.Key))
            .Select(pair => new VectorHit(pair.Key, (float)Cosine(pair.Value, query)))
            .OrderByDescending(hit => hit.Score)
            .ThenBy(hit => hit.Id)
            .Take(k)
            .ToArray();

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(normA * normB);
    }

    /// <summary>Share of the true top-k ids that <paramref name="found"/> holds, averaged over queries.</summary>
    public static double Recall(IReadOnlyList<IReadOnlyList<VectorHit>> found, IReadOnlyList<IReadOnlyList<VectorHit>> truth) =>
        found.Zip(truth).Average(pair => pair.First.Select(h => h.Id).Intersect(pair.Second.Select(h => h.Id)).Count() / (double)pair.Second.Count);
}
