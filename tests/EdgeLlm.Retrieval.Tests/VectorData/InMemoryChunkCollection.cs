using System.Linq.Expressions;
using System.Numerics.Tensors;
using EdgeLlm.Retrieval.VectorData;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.Tests.VectorData;

/// <summary>
/// Stands in for another connector's collection (Qdrant, pgvector) in a migration: records kept in memory,
/// searched by an exact cosine scan. Like a real database it refuses records before the collection exists
/// and vectors of another length than the definition it was created with.
/// </summary>
internal sealed class InMemoryChunkCollection(string name, VectorStoreCollectionDefinition definition) : VectorStoreCollection<long, ChunkRecord>
{
    private readonly Dictionary<long, ChunkRecord> _records = [];
    private readonly int _dimensions = definition.Properties.OfType<VectorStoreVectorProperty>().Single().Dimensions;
    private bool _exists;

    public int Count => _records.Count;

    public override string Name => name;

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(_exists);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        _exists = true;
        return Task.CompletedTask;
    }

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        _exists = false;
        _records.Clear();
        return Task.CompletedTask;
    }

    public override Task<ChunkRecord?> GetAsync(long key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.GetValueOrDefault(key));

    public override IAsyncEnumerable<ChunkRecord> GetAsync(Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default) =>
        _records.Values.Where(filter.Compile()).Take(top).ToAsyncEnumerable();

    public override Task DeleteAsync(long key, CancellationToken cancellationToken = default)
    {
        _records.Remove(key);
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default)
    {
        if (!_exists)
        {
            throw new VectorStoreException($"Collection '{name}' does not exist.");
        }

        if (record.Vector.Length != _dimensions)
        {
            throw new VectorStoreException($"Collection '{name}' holds {_dimensions}-dimensional vectors; record {record.Id} has {record.Vector.Length}.");
        }

        _records[record.Id] = record;
        return Task.CompletedTask;
    }

    public override async Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            await UpsertAsync(record, cancellationToken);
        }
    }

    public override IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default)
    {
        var query = searchValue switch
        {
            float[] array => array,
            ReadOnlyMemory<float> memory => memory.ToArray(),
            _ => throw new NotSupportedException(typeof(TInput).Name),
        };
        return _records.Values
            .Select(record => new VectorSearchResult<ChunkRecord>(record, TensorPrimitives.CosineSimilarity(query, record.Vector.Span)))
            .OrderByDescending(result => result.Score)
            .Take(top)
            .ToAsyncEnumerable();
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) => null;
}
