using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.VectorData;

/// <summary>
/// One tenant's collections as a Microsoft.Extensions.VectorData <see cref="VectorStore"/>, so a site can
/// query the appliance's store through the abstraction its apps already use for Qdrant or pgvector, and move
/// a collection to one of those by reading every <see cref="ChunkRecord"/> here and upserting it there.
/// Only the tenant's own collections exist through it: another tenant's is not listed, not found, and not
/// deleted, exactly as if it did not exist.
/// </summary>
public sealed class RetrievalVectorStore : VectorStore
{
    /// <summary>The system name reported in metadata and errors (OpenTelemetry's <c>db.system.name</c> for SQLite).</summary>
    internal const string SystemName = "sqlite";

    private readonly string _tenant;
    private readonly RetrievalDatabase _database;
    private readonly CollectionStore _collections;
    private readonly VectorIndexCache _indexes;
    private readonly VectorStoreMetadata _metadata;

    public RetrievalVectorStore(string tenant, RetrievalDatabase database, CollectionStore collections, VectorIndexCache indexes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        _tenant = tenant;
        _database = database;
        _collections = collections;
        _indexes = indexes;
        _metadata = new VectorStoreMetadata { VectorStoreSystemName = SystemName, VectorStoreName = Path.GetFileName(database.Path) };
    }

    /// <summary>
    /// The collection called <paramref name="name"/> as a <see cref="ChunkVectorCollection"/>; the only shape
    /// offered is <c>GetCollection&lt;long, ChunkRecord&gt;</c>. The definition, if any, sets the vector length
    /// used when the collection is created here (see <see cref="ChunkRecord.DefinitionFor"/>); the store scores
    /// by cosine similarity only.
    /// </summary>
    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        if (typeof(TKey) != typeof(long) || typeof(TRecord) != typeof(ChunkRecord))
        {
            throw new NotSupportedException(
                $"This store holds document chunks: open a collection as GetCollection<long, {nameof(ChunkRecord)}>; <{typeof(TKey).Name}, {typeof(TRecord).Name}> is not supported.");
        }

        return (VectorStoreCollection<TKey, TRecord>)(object)Open(name, definition);
    }

    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition) =>
        throw new NotSupportedException($"This store has no dynamic (dictionary) mapping: open a collection as GetCollection<long, {nameof(ChunkRecord)}>.");

    public override IAsyncEnumerable<string> ListCollectionNamesAsync(CancellationToken cancellationToken = default) =>
        Names().ToAsyncEnumerable();

    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default) =>
        Open(name, null).CollectionExistsAsync(cancellationToken);

    /// <summary>Deletes the tenant's collection called <paramref name="name"/> with everything in it, if there is one.</summary>
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default) =>
        Open(name, null).EnsureCollectionDeletedAsync(cancellationToken);

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private IEnumerable<string> Names()
    {
        foreach (var collection in _collections.List(_tenant))
        {
            yield return collection.Name;
        }
    }

    private ChunkVectorCollection Open(string name, VectorStoreCollectionDefinition? definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ChunkVectorCollection(_tenant, name, DimensionsOf(definition), _database, _collections, _indexes);
    }

    /// <summary>The vector length a definition gives <see cref="ChunkRecord.Vector"/>, as the model builder would: the definition overrides the attribute.</summary>
    private static int DimensionsOf(VectorStoreCollectionDefinition? definition)
    {
        var vector = definition?.Properties.OfType<VectorStoreVectorProperty>().FirstOrDefault(p => p.Name == nameof(ChunkRecord.Vector));
        if (vector?.DistanceFunction is { } distance && distance != DistanceFunction.CosineSimilarity)
        {
            throw new NotSupportedException($"This store compares vectors by {DistanceFunction.CosineSimilarity} only; the definition asks for {distance}.");
        }

        if (vector is not null && vector.Dimensions <= 0)
        {
            throw new ArgumentException($"The definition gives {nameof(ChunkRecord.Vector)} {vector.Dimensions} dimensions.", nameof(definition));
        }

        return vector?.Dimensions ?? ChunkRecord.DefaultDimensions;
    }
}
