using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Store;

public sealed class DocumentStoreTests
{
    [Fact]
    public async Task ReplacingADocumentSwapsAllItsChunksAndTheirTextIndex()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        var first = await db.Documents.ReplaceAsync(Documents.Info(collection.Id, "pump"), Documents.Chunks("old impeller text", "old seal text", "old gasket text"), CancellationToken.None);

        var second = await db.Documents.ReplaceAsync(Documents.Info(collection.Id, "pump"), Documents.Chunks("new bearing text"), CancellationToken.None);

        Assert.Empty(first.Removed);
        Assert.Equal(3, first.Added.Count);
        Assert.Equal(first.Added.Order(), second.Removed.Order());
        Assert.Single(second.Added);
        var chunks = db.Documents.Chunks(collection.Id, "pump");
        Assert.Equal("new bearing text", Assert.Single(chunks).Text);
        Assert.Equal(1, db.Documents.Find(collection.Id, "pump")!.ChunkCount);
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'impeller'"));
        Assert.Equal(1, db.Scalar("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'bearing'"));
        db.Scalar("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')");
    }

    [Fact]
    public async Task DeletingADocumentRemovesEverythingItOwnedAndNothingElse()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        var pump = await db.Documents.ReplaceAsync(Documents.Info(collection.Id, "pump"), Documents.Chunks("impeller", "seal"), CancellationToken.None);
        await db.Documents.ReplaceAsync(Documents.Info(collection.Id, "valve"), Documents.Chunks("actuator"), CancellationToken.None);

        var removed = await db.Documents.DeleteAsync(collection.Id, "pump", CancellationToken.None);
        var again = await db.Documents.DeleteAsync(collection.Id, "pump", CancellationToken.None);

        Assert.Equal(pump.Added.Order(), removed!.Order());
        Assert.Null(again);
        Assert.Null(db.Documents.Find(collection.Id, "pump"));
        Assert.Equal(1, db.Scalar("SELECT COUNT(*) FROM chunks"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'impeller'"));
        Assert.Equal(1, db.Scalar("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'actuator'"));
    }

    [Fact]
    public async Task AFailedWriteLeavesThePreviousVersionWhole()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        await db.Documents.ReplaceAsync(Documents.Info(collection.Id, "pump"), Documents.Chunks("impeller", "seal"), CancellationToken.None);
        var broken = Documents.Chunks("bearing", "coupling");
        broken[1] = broken[1] with { Text = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => db.Documents.ReplaceAsync(Documents.Info(collection.Id, "pump"), broken, CancellationToken.None));

        Assert.Equal(["impeller", "seal"], db.Documents.Chunks(collection.Id, "pump").Select(c => c.Text));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'bearing'"));
    }

    [Fact]
    public async Task DocumentsArePagedInIdOrder()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        foreach (var id in new[] { "c", "a", "b", "d" })
        {
            await db.Documents.ReplaceAsync(Documents.Info(collection.Id, id), Documents.Chunks(id + " text"), CancellationToken.None);
        }

        Assert.Equal(["a", "b"], db.Documents.List(collection.Id, null, 2).Select(d => d.Id));
        Assert.Equal(["c", "d"], db.Documents.List(collection.Id, "b", 2).Select(d => d.Id));
    }

    [Fact]
    public async Task DeletingADocumentCancelsItsPendingJobsAndARunningOneCannotWriteItBack()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        var requests = new[] { "pump", "pump" }.Select(d => new IngestRequest(collection.Id, d, null, "text/plain", null, null, [], "Some text."u8.ToArray())).ToList();
        var jobs = await db.Jobs.EnqueueAsync("tenant-a", requests, CancellationToken.None);
        var running = await db.Jobs.TakeNextAsync(CancellationToken.None);

        // Never ingested yet, so no document: the deletion still answers for the jobs it stopped.
        Assert.NotNull(await db.Documents.DeleteAsync(collection.Id, "pump", CancellationToken.None));
        var late = await db.Documents.CommitIngestAsync(running!.Value.Job.Id, Documents.Info(collection.Id, "pump"), Documents.Chunks("impeller"), CancellationToken.None);

        Assert.Null(late);
        Assert.All(jobs!, job => Assert.Equal(IngestJobStatus.Cancelled, db.Jobs.Status(job.Id)));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM ingest_jobs WHERE payload IS NOT NULL"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM documents"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks"));
        Assert.Null(await db.Jobs.TakeNextAsync(CancellationToken.None));
        Assert.Null(await db.Documents.DeleteAsync(collection.Id, "pump", CancellationToken.None));
    }
}
