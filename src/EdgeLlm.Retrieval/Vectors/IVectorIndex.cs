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

    /// <summary>
    /// The <paramref name="k"/> closest among <paramref name="candidateIds"/> only, best first; ids not in the
    /// index are ignored. For a metadata filter the store has already resolved to ids: when they are few, an
    /// index can score just those exactly instead of scanning everything and asking a predicate.
    /// </summary>
    IReadOnlyList<VectorHit> SearchAmong(ReadOnlySpan<float> query, int k, IReadOnlyCollection<long> candidateIds) =>
        Search(query, k, (candidateIds as IReadOnlySet<long> ?? candidateIds.ToHashSet()).Contains);
}

/// <summary>One search result: a chunk id and its cosine similarity to the query.</summary>
public readonly record struct VectorHit(long Id, float Score);
