using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Fixtures;
using EdgeLlm.Retrieval.Tests.Support;
using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Retrieval.Tests.Search;

/// <summary>
/// The four fixture documents ingested the way the daemon does it (queued job, real parsers, chunker,
/// SQLite store and vector index) into a real retrieval.db, with <see cref="HashedWordEmbeddings"/> as the
/// embedding model. Each document has an id, tags and a source to filter on.
/// </summary>
internal sealed class FixtureCorpus : IDisposable
{
    public const string Manual = "press-manual";
    public const string Lockout = "conveyor-loto";
    public const string Changelog = "gw500-changelog";
    public const string LeavePolicy = "leave-policy";

    private static readonly (string Id, FixtureDocument Fixture, string Source, string[] Tags)[] Documents =
    [
        (Manual, FixtureDocuments.MaintenanceManual, "intranet://maintenance/hp-4200", ["maintenance", "press"]),
        (Lockout, FixtureDocuments.LockoutInstruction, "intranet://safety/swi-117", ["safety", "conveyor"]),
        (Changelog, FixtureDocuments.FirmwareChangelog, "intranet://it/gw-500", ["it", "firmware"]),
        (LeavePolicy, FixtureDocuments.LeavePolicy, "intranet://hr/leave", ["hr"]),
    ];

    private FixtureCorpus(TestDatabase database, CollectionInfo collection, VectorIndexCache indexes, HybridSearcher searcher)
    {
        Database = database;
        Collection = collection;
        Indexes = indexes;
        Searcher = searcher;
    }

    public static IReadOnlyList<string> DocumentIds => [.. Documents.Select(d => d.Id)];

    public TestDatabase Database { get; }

    public CollectionInfo Collection { get; }

    public VectorIndexCache Indexes { get; }

    public HybridSearcher Searcher { get; }

    public static async Task<FixtureCorpus> IngestAsync()
    {
        var database = new TestDatabase();
        try
        {
            var embeddings = new HashedWordEmbeddings();
            var indexes = new VectorIndexCache(database.Database, new VectorIndexFactory(new VectorIndexOptions()));
            var ingestor = new DocumentIngestor(database.Collections, database.Documents, database.Jobs, indexes, embeddings, new WhitespaceTokenCounter(),
                database.Wrapped, NullLogger<DocumentIngestor>.Instance);
            var collection = await database.CreateCollectionAsync("tenant-a", "site-documents", HashedWordEmbeddings.Dimensions);
            var requests = Documents.Select(d => new IngestRequest(collection.Id, d.Id, d.Fixture.FileName, d.Fixture.ContentType, null, d.Source, d.Tags, d.Fixture.Content)).ToList();
            Assert.NotNull(await database.Jobs.EnqueueAsync("tenant-a", requests, CancellationToken.None));
            while (await database.Jobs.TakeNextAsync(CancellationToken.None) is { } next)
            {
                Assert.Equal(IngestOutcome.Succeeded, await ingestor.RunAsync(next.Job, next.Content, CancellationToken.None));
            }

            return new FixtureCorpus(database, collection, indexes, new HybridSearcher(database.Database, indexes, embeddings));
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(string text, SearchMode mode, SearchFilter? filter = null, float? minScore = null, int topK = 10) =>
        Searcher.SearchAsync(Collection, new SearchQuery(text, topK, filter, minScore, mode), CancellationToken.None);

    /// <summary>Deletes a document as the API does: the rows in one transaction, then its vectors from the index.</summary>
    public async Task DeleteAsync(string documentId)
    {
        var removed = await Database.Documents.DeleteAsync(Collection.Id, documentId, CancellationToken.None);
        Assert.NotNull(removed);
        Indexes.Remove(Collection.Id, removed);
    }

    public void Dispose() => Database.Dispose();
}
