namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// Approximate nearest-neighbour search for large collections: an inverted-file index (IVF) with 8-bit
/// scalar-quantised vectors and exact re-ranking. Below <see cref="VectorIndexOptions.ApproximateFrom"/>
/// vectors it has nothing to gain and scans exactly, like <see cref="ExactVectorIndex"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why IVF with int8 and re-ranking, rather than a graph (HNSW): on a two-core appliance memory and build
/// time are the scarce things. IVF adds a quarter of the float vectors' bytes (the codes) and needs no
/// per-vector links; start-up from a saved <see cref="IvfState"/> is one sequential pass (quantise each
/// vector into its list) instead of a graph rebuild; removal is a swap in one list, not a graph repair;
/// and a filter just skips entries during a sequential scan. Its cost: a search reads whole lists.
/// </para>
/// <para>
/// Training: spherical k-means on a sample, √N lists. Search: the <see cref="VectorIndexOptions.ProbedShare"/>
/// lists whose centroids are nearest the query are scanned with integer dot products (AVX2), the best
/// k × <see cref="VectorIndexOptions.RerankFactor"/> candidates are re-scored with their float vectors, and
/// the best k returned, so scores are exact cosines. A filter is applied during the scan, and probing goes
/// on past the planned lists until k vectors have passed it.
/// </para>
/// <para>
/// Policy after training: an upsert joins the list of its nearest centroid, a removal leaves its list; once
/// the collection has grown by <see cref="VectorIndexOptions.RetrainGrowth"/> since training, the write that
/// crossed the line retrains (k-means again over all vectors). Shrinking never retrains: emptier lists only
/// make probes cheaper, and probing continues until k hits are found.
/// </para>
/// <para>
/// Concurrency: searches take a read lock and run concurrently; writes take the write lock for the moment
/// they change the arrays. Writers are also serialised here, so retraining reads the vectors and builds the
/// new lists outside the write lock while searches carry on with the old ones, then swaps them in at once.
/// </para>
/// </remarks>
public sealed class IvfVectorIndex : IVectorIndex
{
    private readonly VectorStore _store;
    private readonly VectorIndexOptions _options;
    // Never disposed: IVectorIndex is not IDisposable, and the lock only holds wait handles after contention,
    // which their finalisers release with the index.
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Lock _writers = new();
    private IvfLayout? _layout;

    public IvfVectorIndex(int dimensions, VectorIndexOptions? options = null)
        : this(new VectorStore(dimensions), options ?? new VectorIndexOptions(), state: null)
    {
    }

    /// <summary>Indexes vectors already in <paramref name="store"/>: placed as <paramref name="state"/> says when given, else trained if big enough.</summary>
    internal IvfVectorIndex(VectorStore store, VectorIndexOptions options, IvfState? state)
    {
        _store = store;
        _options = options;
        if (state is not null)
        {
            _layout = Place(store, state);
        }

        TrainIfDue();
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

    /// <summary>Vectors at the last training (the retraining policy measures growth from it); 0 while searches are exact.</summary>
    public int TrainedCount => _layout?.TrainedCount ?? 0;

    public void Upsert(long id, ReadOnlySpan<float> vector)
    {
        lock (_writers)
        {
            // The nearest list is found before taking the write lock, so searches wait only for the copy.
            var layout = _layout;
            var list = -1;
            if (layout is not null)
            {
                var unit = new float[Dimensions];
                VectorMath.Normalise(vector, unit, nameof(vector));
                list = layout.NearestList(unit);
            }

            _lock.EnterWriteLock();
            try
            {
                var slot = _store.Upsert(id, vector, out var added);
                if (layout is not null)
                {
                    if (!added)
                    {
                        layout.Remove(slot);
                    }

                    layout.Add(slot, list, _store.Vector(slot), _store.Capacity);
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            TrainIfDue();
        }
    }

    public bool Remove(long id)
    {
        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (!_store.TryGetSlot(id, out var slot))
                {
                    return false;
                }

                _layout?.Remove(slot);
                _store.TryRemove(id, out _, out var movedFrom);
                if (movedFrom >= 0)
                {
                    _layout?.MoveSlot(movedFrom, slot);
                }

                return true;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, Predicate<long>? filter = null)
    {
        var unitQuery = VectorMath.UnitQuery(query, k, Dimensions);
        _lock.EnterReadLock();
        try
        {
            return SearchLocked(unitQuery, k, filter).BestFirst();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Up to <see cref="VectorIndexOptions.ExactCandidateLimit"/> candidates are scored exactly, one by one;
    /// more are searched approximately with the candidates as the filter.
    /// </summary>
    public IReadOnlyList<VectorHit> SearchAmong(ReadOnlySpan<float> query, int k, IReadOnlyCollection<long> candidateIds)
    {
        ArgumentNullException.ThrowIfNull(candidateIds);
        var unitQuery = VectorMath.UnitQuery(query, k, Dimensions);
        _lock.EnterReadLock();
        try
        {
            var hits = _layout is null || candidateIds.Count <= _options.ExactCandidateLimit
                ? ExactScan.SearchAmong(_store, unitQuery, k, candidateIds)
                : SearchLocked(unitQuery, k, (candidateIds as IReadOnlySet<long> ?? candidateIds.ToHashSet()).Contains);
            return hits.BestFirst();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The trained state (centroids and each id's list) as bytes for <see cref="VectorIndexLoader.Finish"/>
    /// to start from next time; null while untrained. Worth saving after <see cref="TrainedCount"/> changes
    /// and at shutdown; a stale state still works, it only costs placing the vectors it does not know.
    /// </summary>
    public byte[]? ExportState()
    {
        _lock.EnterReadLock();
        try
        {
            if (_layout is not { } layout)
            {
                return null;
            }

            var ids = new long[_store.Count];
            var lists = new int[_store.Count];
            for (var slot = 0; slot < ids.Length; slot++)
            {
                ids[slot] = _store.IdAt(slot);
                lists[slot] = layout.ListOf(slot);
            }

            return new IvfState(Dimensions, layout.Centroids, layout.TrainedCount, ids, lists).ToBytes();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static IvfLayout Place(VectorStore store, IvfState state)
    {
        var labels = new int[store.Count];
        Array.Fill(labels, -1);
        for (var i = 0; i < state.Ids.Length; i++)
        {
            if (store.TryGetSlot(state.Ids[i], out var slot))
            {
                labels[slot] = state.Lists[i];
            }
        }

        Parallel.For(0, labels.Length, slot =>
        {
            if (labels[slot] < 0)
            {
                labels[slot] = IvfLayout.NearestCentroid(state.Centroids, store.Vector(slot));
            }
        });
        return IvfLayout.Build(store, state.Centroids, labels, state.TrainedCount);
    }

    private TopHits SearchLocked(float[] unitQuery, int k, Predicate<long>? filter)
    {
        if (_layout is not { } layout)
        {
            return ExactScan.Search(_store, unitQuery, k, filter, _options.ParallelScanFrom);
        }

        var lists = layout.Lists.Length;
        var probes = Math.Min(Math.Max((int)Math.Ceiling(lists * _options.ProbedShare), _options.MinProbes), lists);
        var wanted = Math.Min(k, Math.Max(1, _store.Count));
        var candidates = (int)Math.Min((long)wanted * _options.RerankFactor, Math.Max(1, _store.Count));
        return layout.Search(_store, unitQuery, wanted, filter, probes, candidates);
    }

    // Called by the one writer (constructor or inside _writers), so the vectors cannot change while k-means
    // reads them; searches go on against the old layout until the new one is swapped in.
    private void TrainIfDue()
    {
        var count = _store.Count;
        if (_options.ApproximateFrom == 0 || count < _options.ApproximateFrom || count < TrainedCount * _options.RetrainGrowth)
        {
            return;
        }

        var centroids = SphericalKMeans.Train(_store, (int)Math.Round(Math.Sqrt(count)), _options.TrainingSeed);
        var labels = new int[count];
        SphericalKMeans.AssignAll(_store.RawValues, count, Dimensions, centroids, labels, new float[count]);
        var layout = IvfLayout.Build(_store, centroids, labels, count);
        _lock.EnterWriteLock();
        _layout = layout;
        _lock.ExitWriteLock();
    }
}
