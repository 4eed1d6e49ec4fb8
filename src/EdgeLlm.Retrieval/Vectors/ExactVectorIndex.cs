namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// The reference index: every search scores every vector. Exact, and fast enough up to some tens of
/// thousands of vectors; beyond that <see cref="IvfVectorIndex"/> answers the same queries in a fraction of the time.
/// </summary>
/// <remarks>
/// Thread-safe: searches share a read lock, writes take the write lock, so a search never sees a vector
/// half-moved by a removal or an array being grown. Large collections are scanned on all cores.
/// </remarks>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly VectorStore _store;
    private readonly int _parallelScanFrom;
    // Never disposed: IVectorIndex is not IDisposable, and the lock only holds wait handles after contention,
    // which their finalisers release with the index.
    private readonly ReaderWriterLockSlim _lock = new();

    /// <param name="dimensions">Length of every vector.</param>
    /// <param name="parallelScanFrom">Vectors from which one search is spread over all cores.</param>
    public ExactVectorIndex(int dimensions, int parallelScanFrom = VectorIndexOptions.DefaultParallelScanFrom)
        : this(new VectorStore(dimensions), parallelScanFrom)
    {
    }

    internal ExactVectorIndex(VectorStore store, int parallelScanFrom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelScanFrom);
        _store = store;
        _parallelScanFrom = parallelScanFrom;
    }

    public int Dimensions => _store.Dimensions;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _store.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public void Upsert(long id, ReadOnlySpan<float> vector)
    {
        _lock.EnterWriteLock();
        try
        {
            _store.Upsert(id, vector, out _);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            return _store.TryRemove(id, out _, out _);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Predicate<long>? filter = null)
    {
        var unitQuery = VectorMath.UnitQuery(query, k, Dimensions);
        _lock.EnterReadLock();
        try
        {
            return ExactScan.Search(_store, unitQuery, k, filter, _parallelScanFrom).BestFirst();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyList<VectorHit> SearchAmong(ReadOnlySpan<float> query, int k, IReadOnlyCollection<long> candidateIds)
    {
        ArgumentNullException.ThrowIfNull(candidateIds);
        var unitQuery = VectorMath.UnitQuery(query, k, Dimensions);
        _lock.EnterReadLock();
        try
        {
            return ExactScan.SearchAmong(_store, unitQuery, k, candidateIds).BestFirst();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
