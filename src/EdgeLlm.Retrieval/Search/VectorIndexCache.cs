using System.Collections.Concurrent;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Search;

/// <summary>
/// Each collection's vector index, in memory: built from the vectors in retrieval.db on first use (so a
/// restart costs one read of the vectors, never a loss), then kept in step with every committed write.
/// </summary>
/// <para>
/// A large collection's IVF training (centroids and each chunk's list) is saved in <c>vector_index_state</c>
/// whenever it changes, so a restart places the vectors without running k-means again.
/// </para>
public sealed class VectorIndexCache(RetrievalDatabase database, VectorIndexFactory factory)
{
    private readonly ConcurrentDictionary<string, int> _savedTraining = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<IVectorIndex>> _indexes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lock> _writers = new(StringComparer.Ordinal);

    public IVectorIndex For(CollectionInfo collection)
    {
        var lazy = _indexes.GetOrAdd(collection.Id, id => new Lazy<IVectorIndex>(() => Load(id, collection.Dimensions)));
        if (lazy.IsValueCreated)
        {
            return lazy.Value;
        }

        // Loading holds the collection's write lock, so a write that commits meanwhile is applied after
        // the load instead of being missed by the load's older snapshot.
        lock (WriterOf(collection.Id))
        {
            return lazy.Value;
        }
    }

    /// <summary>Applies a committed document write: drops the removed chunks, adds the new ones.</summary>
    public void Apply(CollectionInfo collection, DocumentWrite write, IReadOnlyList<ChunkToStore> added)
    {
        lock (WriterOf(collection.Id))
        {
            if (!_indexes.TryGetValue(collection.Id, out var lazy) || !lazy.IsValueCreated)
            {
                return; // Not loaded yet: the first search reads the committed rows.
            }

            foreach (var id in write.Removed)
            {
                lazy.Value.Remove(id);
            }

            for (var i = 0; i < write.Added.Count; i++)
            {
                lazy.Value.Upsert(write.Added[i], added[i].Vector);
            }

            SaveTrainingIfChanged(collection.Id, lazy.Value);
        }
    }

    public void Remove(string collectionId, IReadOnlyList<long> chunkIds)
    {
        lock (WriterOf(collectionId))
        {
            if (_indexes.TryGetValue(collectionId, out var lazy) && lazy.IsValueCreated)
            {
                foreach (var id in chunkIds)
                {
                    lazy.Value.Remove(id);
                }
            }
        }
    }

    public void Forget(string collectionId)
    {
        _indexes.TryRemove(collectionId, out _);
        _writers.TryRemove(collectionId, out _);
        _savedTraining.TryRemove(collectionId, out _);
    }

    private Lock WriterOf(string collectionId) => _writers.GetOrAdd(collectionId, _ => new Lock());

    private IVectorIndex Load(string collectionId, int dimensions)
    {
        using var connection = database.Open();
        using var count = connection.Command("SELECT COUNT(*) FROM chunks WHERE collection_id = $c", null, ("$c", collectionId));
        var loader = factory.StartLoading(dimensions, (int)(long)count.ExecuteScalar()!);
        using (var select = connection.Command("SELECT id, vector FROM chunks WHERE collection_id = $c", null, ("$c", collectionId)))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                loader.Add(reader.GetInt64(0), SqliteCommands.FromBlob((byte[])reader.GetValue(1)));
            }
        }

        using var state = connection.Command("SELECT state FROM vector_index_state WHERE collection_id = $c", null, ("$c", collectionId));
        var saved = state.ExecuteScalar() as byte[];
        var index = loader.Finish(saved);
        if (loader.UsedSavedState && index is IvfVectorIndex ivf)
        {
            _savedTraining[collectionId] = ivf.TrainedCount;
        }
        else
        {
            SaveTrainingIfChanged(collectionId, index);
        }

        return index;
    }

    private void SaveTrainingIfChanged(string collectionId, IVectorIndex index)
    {
        if (index is not IvfVectorIndex ivf || _savedTraining.GetValueOrDefault(collectionId) == ivf.TrainedCount || ivf.ExportState() is not { } bytes)
        {
            return;
        }

        // Advisory, like a cache file: written outside the writer queue; losing it only costs a retrain.
        using var connection = database.Open();
        using var upsert = connection.Command(
            """
            INSERT INTO vector_index_state (collection_id, state, chunk_count) VALUES ($c, $state, $count)
            ON CONFLICT (collection_id) DO UPDATE SET state = $state, chunk_count = $count
            """,
            null, ("$c", collectionId), ("$state", bytes), ("$count", ivf.Count));
        upsert.ExecuteNonQuery();
        _savedTraining[collectionId] = ivf.TrainedCount;
    }
}
