namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// Nearest-neighbour search over one collection's chunk vectors by cosine similarity. Vectors are
/// normalised on the way in, so a score is a cosine in [-1, 1], higher is closer. Not thread-safe for
/// writes: the store serialises writers per collection; searches may run concurrently with each other.
/// </summary>
public interface IVectorIndex
{
    int Dimensions { get; }

    int Count { get; }

    /// <summary>Adds the vector of <paramref name="id"/>, replacing any it had.</summary>
    void Upsert(long id, ReadOnlySpan<float> vector);

    bool Remove(long id);

    /// <summary>The <paramref name="k"/> closest ids that pass <paramref name="filter"/>, best first.</summary>
    IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Predicate<long>? filter = null);
}

/// <summary>One search result: a chunk id and its cosine similarity to the query.</summary>
public readonly record struct VectorHit(long Id, float Score);
