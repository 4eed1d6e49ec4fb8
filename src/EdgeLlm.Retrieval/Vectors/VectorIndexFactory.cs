namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// Makes each collection's <see cref="IVectorIndex"/>: an <see cref="IvfVectorIndex"/>, which searches
/// exactly until the collection reaches <see cref="VectorIndexOptions.ApproximateFrom"/> vectors and
/// approximately from there on, or an <see cref="ExactVectorIndex"/> when the approximate index is off
/// (<c>ApproximateFrom</c> 0). A collection that grows past the threshold switches by itself.
/// </summary>
public sealed class VectorIndexFactory(VectorIndexOptions options)
{
    /// <summary>An empty index, for a new collection.</summary>
    public IVectorIndex Create(int dimensions) => StartLoading(dimensions).Finish();

    /// <summary>
    /// Starts filling an index with a collection's stored vectors at start-up; <paramref name="expectedCount"/>
    /// (the row count, say) sizes the arrays once instead of growing them.
    /// </summary>
    public VectorIndexLoader StartLoading(int dimensions, int expectedCount = 0) => new(new VectorStore(dimensions, expectedCount), options);
}

/// <summary>
/// Fills an index in bulk: <see cref="Add"/> every stored vector, then <see cref="Finish"/> with the state the
/// index last exported, if any. With a usable state start-up is one pass over the vectors, without k-means.
/// </summary>
public sealed class VectorIndexLoader
{
    private readonly VectorIndexOptions _options;
    private VectorStore? _store;

    internal VectorIndexLoader(VectorStore store, VectorIndexOptions options)
    {
        _store = store;
        _options = options;
    }

    public int Count => Store.Count;

    /// <summary>Whether <see cref="Finish"/> placed the vectors from the saved state rather than training.</summary>
    public bool UsedSavedState { get; private set; }

    private VectorStore Store => _store ?? throw new InvalidOperationException("This loader has already built its index.");

    /// <summary>Adds a stored vector (normalised here); a repeated id replaces the earlier vector.</summary>
    public void Add(long id, ReadOnlySpan<float> vector) => Store.Upsert(id, vector, out _);

    /// <summary>
    /// Builds the index. <paramref name="savedState"/> is what <see cref="IvfVectorIndex.ExportState"/> gave
    /// last time (empty for none); one that does not fit (other dimensions, damaged, another format) is
    /// ignored and the index trains instead when the collection is big enough.
    /// </summary>
    public IVectorIndex Finish(ReadOnlySpan<byte> savedState = default)
    {
        var store = Store;
        _store = null;
        if (_options.ApproximateFrom == 0)
        {
            return new ExactVectorIndex(store, _options.ParallelScanFrom);
        }

        var state = savedState.IsEmpty ? null : IvfState.TryRead(savedState, store.Dimensions);
        UsedSavedState = state is not null;
        return new IvfVectorIndex(store, _options, state);
    }
}
