using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;
using EdgeLlm.Retrieval.VectorData;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.VectorData;

/// <summary>
/// A real retrieval.db with one collection of tenant A: 12 documents of 25 chunks each (300, more than one
/// page of a scan) with random 16-dimensional vectors, so rankings have no ties.
/// </summary>
internal sealed class ChunkCorpus : IDisposable
{
    public const string Tenant = "tenant-a";
    public const string CollectionName = "manuals";
    public const int Dimensions = 16;

    private ChunkCorpus(TestDatabase database, CollectionInfo collection, Dictionary<long, StoredChunkRow> chunks)
    {
        Database = database;
        Collection = collection;
        Chunks = chunks;
        Indexes = new VectorIndexCache(database.Database, new VectorIndexFactory(new VectorIndexOptions()));
    }

    public TestDatabase Database { get; }

    public CollectionInfo Collection { get; }

    public VectorIndexCache Indexes { get; }

    /// <summary>Every chunk written, by the id the store gave it.</summary>
    public IReadOnlyDictionary<long, StoredChunkRow> Chunks { get; }

    public static async Task<ChunkCorpus> CreateAsync()
    {
        var database = new TestDatabase();
        var collection = await database.CreateCollectionAsync(Tenant, CollectionName, Dimensions);
        var random = new Random(20260412);
        var chunks = new Dictionary<long, StoredChunkRow>();
        for (var d = 0; d < 12; d++)
        {
            var documentId = $"doc-{d:00}";
            var toStore = Enumerable.Range(0, 25)
                .Select(i => new ChunkToStore(i, $"step {i} of {documentId}", $"Section {i / 5}", i * 100, i * 100 + 90, 20, RandomVector(random)))
                .ToArray();
            var write = await database.Documents.ReplaceAsync(Documents.Info(collection.Id, documentId), toStore, CancellationToken.None);
            for (var i = 0; i < toStore.Length; i++)
            {
                chunks[write.Added[i]] = new StoredChunkRow(documentId, toStore[i]);
            }
        }

        return new ChunkCorpus(database, collection, chunks);
    }

    public static float[] RandomVector(Random random) => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    public RetrievalVectorStore StoreFor(string tenant) => new(tenant, Database.Database, Database.Collections, Indexes);

    public void Dispose() => Database.Dispose();
}

/// <summary>A chunk as it was written, with its document.</summary>
internal sealed record StoredChunkRow(string DocumentId, ChunkToStore Chunk);
