using System.Linq.Expressions;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.VectorData;

/// <summary>
/// One of a tenant's collections as a standard <see cref="VectorStoreCollection{TKey, TRecord}"/>, read-through:
/// records come from retrieval.db and searches from the collection's in-memory vector index, so what an app
/// gets here is what the daemon's own search sees. Writes are not supported: a chunk belongs to its document
/// and a document's chunks are replaced together, atomically, through the documents API; single-record
/// upserts and deletes would break that (and would bypass chunking, the full-text index and the document's
/// metadata). Every read on a collection the tenant does not own (another tenant's included) fails as for a
/// collection that does not exist.
/// </summary>
public sealed class ChunkVectorCollection : VectorStoreCollection<long, ChunkRecord>
{
    /// <summary>Rows per read when scanning or fetching by key: small enough to keep each read short.</summary>
    private const int PageRows = 256;

    private readonly string _tenant;
    private readonly int _dimensions;
    private readonly RetrievalDatabase _database;
    private readonly CollectionStore _collections;
    private readonly VectorIndexCache _indexes;
    private readonly VectorStoreCollectionMetadata _metadata;

    internal ChunkVectorCollection(string tenant, string name, int dimensions, RetrievalDatabase database, CollectionStore collections, VectorIndexCache indexes)
    {
        _tenant = tenant;
        Name = name;
        _dimensions = dimensions;
        _database = database;
        _collections = collections;
        _indexes = indexes;
        _metadata = new VectorStoreCollectionMetadata
        {
            VectorStoreSystemName = RetrievalVectorStore.SystemName,
            VectorStoreName = Path.GetFileName(database.Path),
            CollectionName = name,
        };
    }

    public override string Name { get; }

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Find() is not null);

    /// <summary>
    /// Creates the collection with the vector length of the definition it was opened with (or
    /// <see cref="ChunkRecord.DefaultDimensions"/>). It records no embedding model: documents ingested into it
    /// are embedded by the daemon's model, which must give vectors of that length.
    /// </summary>
    public override async Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        if (Find() is not null)
        {
            return;
        }

        if (!StoreIds.IsValidName(Name))
        {
            throw new ArgumentException($"Collection names are 1-64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit; '{Name}' is not.");
        }

        // NameTaken means another caller created it meanwhile, which is what was asked for.
        if (await _collections.CreateAsync(_tenant, Name, null, "unknown", _dimensions, cancellationToken) is CreateCollectionResult.LimitReached limit)
        {
            throw Failure(nameof(EnsureCollectionExistsAsync), $"This tenant already has the most collections allowed ({limit.Limit}).");
        }
    }

    /// <summary>Deletes the collection and everything in it (documents, chunks, vectors, jobs), and drops its in-memory index.</summary>
    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        if (Find() is { } collection && await _collections.DeleteAsync(_tenant, collection.Id, cancellationToken))
        {
            _indexes.Forget(collection.Id);
        }
    }

    public override Task<ChunkRecord?> GetAsync(long key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var includeVectors = options?.IncludeVectors ?? false;
        var found = Read(nameof(GetAsync), (connection, collectionId) => ChunkRows.ByIds(connection, collectionId, [key], includeVectors));
        return Task.FromResult(found.GetValueOrDefault(key));
    }

    /// <summary>The records of the keys that exist, in the order of the keys, read <see cref="PageRows"/> keys at a time.</summary>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(IEnumerable<long> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return ByKeys(keys, options?.IncludeVectors ?? false, cancellationToken).ToAsyncEnumerable();
    }

    /// <summary>
    /// The records <paramref name="filter"/> accepts. Any predicate works, because it is compiled and run on
    /// the records rather than translated: this is a scan of the collection in id order (a page of rows at a
    /// time), starting after the key when the filter bounds it from below (<c>r.Id &gt; last</c>, for keyset
    /// paging). With <c>OrderBy</c> every match is held and sorted before <c>Skip</c> and <paramref name="top"/>
    /// apply; without it results come in id order and the scan stops once it has enough. The filter sees
    /// the key and data properties; the vector is only filled in when <c>IncludeVectors</c> is set. The scan
    /// is not a snapshot: a document replaced meanwhile may show old chunks in earlier pages and new ones in later.
    /// </summary>
    public override IAsyncEnumerable<ChunkRecord> GetAsync(Expression<Func<ChunkRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        options ??= new FilteredRecordRetrievalOptions<ChunkRecord>();
        var matches = Scan(filter.Compile(), ChunkRecordQuery.ScanStartsAfter(filter), options.IncludeVectors, cancellationToken);
        return ChunkRecordQuery.Sort(matches, options).Skip(options.Skip).Take(top).ToAsyncEnumerable();
    }

    /// <summary>
    /// The <paramref name="top"/> nearest chunks to a vector (<see cref="ReadOnlyMemory{T}"/> of float, float[] or
    /// <see cref="Embedding{T}"/> of float; embed text first), scored by cosine similarity (higher is closer),
    /// through the same in-memory index as the daemon's own search. A filter may be any predicate over the key
    /// and data properties: it is compiled and applied to the index's nearest candidates, asking for more until
    /// enough pass or the index has no more. Skip, ScoreThreshold and IncludeVectors are honoured.
    /// </summary>
    public override IAsyncEnumerable<VectorSearchResult<ChunkRecord>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<ChunkRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var query = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory.ToArray(),
            float[] array => array,
            Embedding<float> embedding => embedding.Vector.ToArray(),
            _ => throw new NotSupportedException(
                $"Search with a ReadOnlyMemory<float>, float[] or Embedding<float>; {typeof(TInput).Name} is not supported (this store does not embed: embed text with the collection's model first)."),
        };
        options ??= new VectorSearchOptions<ChunkRecord>();
        if (options.VectorProperty is { } property && !NamesTheVector(property))
        {
            throw new ArgumentException($"{nameof(ChunkRecord)} has one vector property, {nameof(ChunkRecord.Vector)}.", nameof(options));
        }

        return Search(query, top, options, cancellationToken).ToAsyncEnumerable();
    }

    /// <summary>
    /// <see cref="VectorStoreCollectionMetadata"/>; or, for <see cref="VectorStoreCollectionDefinition"/>, the schema
    /// of the collection as stored (its vector length, cosine similarity; null when it does not exist), which is
    /// what creating the same collection in another connector takes.
    /// </summary>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(VectorStoreCollectionDefinition) ? Find() is { } collection ? ChunkRecord.DefinitionFor(collection.Dimensions) : null
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public override Task UpsertAsync(ChunkRecord record, CancellationToken cancellationToken = default) => throw WritesGoThroughDocuments();

    public override Task UpsertAsync(IEnumerable<ChunkRecord> records, CancellationToken cancellationToken = default) => throw WritesGoThroughDocuments();

    public override Task DeleteAsync(long key, CancellationToken cancellationToken = default) => throw WritesGoThroughDocuments();

    public override Task DeleteAsync(IEnumerable<long> keys, CancellationToken cancellationToken = default) => throw WritesGoThroughDocuments();

    private static NotSupportedException WritesGoThroughDocuments() => new(
        "Chunks belong to documents and are written through the documents API (POST/DELETE /v1/collections/{id}/documents), which replaces a document's chunks, vectors and full-text rows together in one transaction; this collection is read-only.");

    /// <summary>The tenant's collection of this name; null for none, and for another tenant's.</summary>
    private CollectionInfo? Find() => _collections.Find(_tenant, Name) is { } found && found.Name == Name ? found : null;

    private IEnumerable<ChunkRecord> ByKeys(IEnumerable<long> keys, bool includeVectors, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Chunk(PageRows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var found = Read(nameof(GetAsync), (connection, collectionId) => ChunkRows.ByIds(connection, collectionId, batch, includeVectors));
            foreach (var key in batch)
            {
                if (found.TryGetValue(key, out var record))
                {
                    yield return record;
                }
            }
        }
    }

    private IEnumerable<ChunkRecord> Scan(Func<ChunkRecord, bool> keep, long after, bool includeVectors, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = Read(nameof(GetAsync), (connection, collectionId) => ChunkRows.Page(connection, collectionId, after, PageRows, keep, includeVectors));
            foreach (var record in page.Kept)
            {
                yield return record;
            }

            if (page.RowsRead < PageRows)
            {
                yield break;
            }

            after = page.LastId;
        }
    }

    private IEnumerable<VectorSearchResult<ChunkRecord>> Search(float[] query, int top, VectorSearchOptions<ChunkRecord> options, CancellationToken cancellationToken)
    {
        var collection = Find() ?? throw Missing(nameof(SearchAsync));
        if (query.Length != collection.Dimensions)
        {
            throw new ArgumentException($"Collection '{Name}' holds {collection.Dimensions}-dimensional vectors; the query has {query.Length}.", "searchValue");
        }

        var search = new FilteredVectorSearch(_indexes.For(collection), query, options);
        var best = search.Run((int)Math.Min((long)options.Skip + top, int.MaxValue), ids =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var connection = _database.Open();
            return ChunkRows.ByIds(connection, collection.Id, ids, options.IncludeVectors);
        });
        foreach (var hit in best.Skip(options.Skip))
        {
            yield return new VectorSearchResult<ChunkRecord>(hit.Record, hit.Score);
        }
    }

    /// <summary>Whether a selector picks <see cref="ChunkRecord.Vector"/> (boxed to object, as the options' type makes it).</summary>
    private static bool NamesTheVector(LambdaExpression selector) =>
        (selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } boxed ? boxed.Operand : selector.Body)
            is MemberExpression { Member.Name: nameof(ChunkRecord.Vector) } member && member.Expression == selector.Parameters[0];

    /// <summary>Runs <paramref name="read"/> on an open connection with the id of this tenant's collection, which must exist.</summary>
    private T Read<T>(string operation, Func<SqliteConnection, string, T> read)
    {
        using var connection = _database.Open();
        var collectionId = ChunkRows.CollectionId(connection, _tenant, Name) ?? throw Missing(operation);
        return read(connection, collectionId);
    }

    private VectorStoreException Missing(string operation) => Failure(operation, $"Collection '{Name}' does not exist.");

    private VectorStoreException Failure(string operation, string message) => new(message)
    {
        VectorStoreSystemName = _metadata.VectorStoreSystemName,
        VectorStoreName = _metadata.VectorStoreName,
        CollectionName = Name,
        OperationName = operation,
    };
}
