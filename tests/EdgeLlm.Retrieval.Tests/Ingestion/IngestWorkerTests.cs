using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Ingestion;

public sealed class IngestWorkerTests
{
    private const int Slice = 4;

    [Fact]
    public async Task AnotherTenantsOneChunkDocumentIsEmbeddedAfterAtMostTwoSlicesOfALongDocument()
    {
        using var db = new TestDatabase(o => o.EmbeddingBatchSize = Slice);
        await using var harness = new IngestWorkerHarness(db);
        var manuals = await db.CreateCollectionAsync("tenant-a", "manuals", HashedWordEmbeddings.Dimensions);
        var notes = await db.CreateCollectionAsync("tenant-b", "notes", HashedWordEmbeddings.Dimensions);
        harness.Embeddings.HoldFirstCall();
        var longJob = await harness.EnqueueAsync("tenant-a", manuals, "handbook", IngestWorkerHarness.Document("pump", 40));
        await harness.StartAsync();

        // The long job has started embedding when the other tenant's upload arrives.
        await harness.Embeddings.FirstCall;
        var shortJob = await harness.EnqueueAsync("tenant-b", notes, "memo", "bravo memo: the valve is closed"u8.ToArray());
        harness.Embeddings.Release();
        await harness.WaitForStatusAsync(shortJob.Id, IngestJobStatus.Succeeded);
        await harness.WaitForStatusAsync(longJob.Id, IngestJobStatus.Succeeded);

        var embedded = harness.Embeddings.Embedded;
        Assert.Equal(41, embedded.Count);
        var memo = embedded.ToList().FindIndex(text => text.Contains("bravo", StringComparison.Ordinal));
        Assert.True(memo <= 2 * Slice, $"the memo was embedded after {memo} chunks of the handbook");
        Assert.Equal(40, db.Scalar($"SELECT chunk_count FROM documents WHERE id = 'handbook'"));
    }

    [Fact]
    public async Task DeletingADocumentWhileItIsEmbeddedCancelsItsJobAtOnceLeavesNoChunksAndFreesTheWorker()
    {
        using var db = new TestDatabase(o => o.EmbeddingBatchSize = Slice);
        await using var harness = new IngestWorkerHarness(db);
        var manuals = await db.CreateCollectionAsync("tenant-a", "manuals", HashedWordEmbeddings.Dimensions);
        var endless = await harness.EnqueueAsync("tenant-a", manuals, "handbook", IngestWorkerHarness.Document(RecordingEmbeddings.Endless, 12));
        await harness.StartAsync();
        await harness.Embeddings.EndlessStarted;

        // As the API deletes: the rows (and the job's state) in one transaction, then the running job's cancellation.
        Assert.NotNull(await db.Documents.DeleteAsync(manuals.Id, "handbook", CancellationToken.None));
        Assert.Equal(1, harness.Running.CancelDocument(manuals.Id, "handbook"));
        await harness.Embeddings.EndlessCancelled;

        // The same tenant's next job can only run once the worker has let the endless one go.
        var next = await harness.EnqueueAsync("tenant-a", manuals, "memo", "the valve is closed"u8.ToArray());
        await harness.WaitForStatusAsync(next.Id, IngestJobStatus.Succeeded);

        Assert.Equal(IngestJobStatus.Cancelled, harness.Status(endless.Id));
        Assert.Equal("document_deleted", db.Text($"SELECT error_code FROM ingest_jobs WHERE id = '{endless.Id}'"));
        Assert.Equal(0, db.Scalar($"SELECT COUNT(*) FROM ingest_jobs WHERE id = '{endless.Id}' AND payload IS NOT NULL"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM documents WHERE id = 'handbook'"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks WHERE document_id = 'handbook'"));
    }

    [Fact]
    public async Task DeletingACollectionWhileItsDocumentIsEmbeddedStopsTheJobAndFreesTheWorker()
    {
        using var db = new TestDatabase(o => o.EmbeddingBatchSize = Slice);
        await using var harness = new IngestWorkerHarness(db);
        var doomed = await db.CreateCollectionAsync("tenant-a", "doomed", HashedWordEmbeddings.Dimensions);
        var kept = await db.CreateCollectionAsync("tenant-a", "kept", HashedWordEmbeddings.Dimensions);
        await harness.EnqueueAsync("tenant-a", doomed, "handbook", IngestWorkerHarness.Document(RecordingEmbeddings.Endless, 12));
        await harness.StartAsync();
        await harness.Embeddings.EndlessStarted;

        Assert.True(await db.Collections.DeleteAsync("tenant-a", doomed.Id, CancellationToken.None));
        Assert.Equal(1, harness.Running.CancelCollection(doomed.Id));
        await harness.Embeddings.EndlessCancelled;

        var next = await harness.EnqueueAsync("tenant-a", kept, "memo", "the valve is closed"u8.ToArray());
        await harness.WaitForStatusAsync(next.Id, IngestJobStatus.Succeeded);
        Assert.Equal(0, db.Scalar($"SELECT COUNT(*) FROM chunks WHERE collection_id = '{doomed.Id}'"));
        Assert.Equal(0, db.Scalar($"SELECT COUNT(*) FROM documents WHERE collection_id = '{doomed.Id}'"));
    }

    [Fact]
    public async Task StoppingTheWorkerMidJobLeavesTheJobToBeResumedNotCancelled()
    {
        using var db = new TestDatabase(o => o.EmbeddingBatchSize = Slice);
        var harness = new IngestWorkerHarness(db);
        var manuals = await db.CreateCollectionAsync("tenant-a", "manuals", HashedWordEmbeddings.Dimensions);
        var job = await harness.EnqueueAsync("tenant-a", manuals, "handbook", IngestWorkerHarness.Document(RecordingEmbeddings.Endless, 12));
        await harness.StartAsync();
        await harness.Embeddings.EndlessStarted;

        await harness.DisposeAsync();

        Assert.Equal(IngestJobStatus.Running, harness.Status(job.Id));
        Assert.Equal(1, db.Scalar($"SELECT COUNT(*) FROM ingest_jobs WHERE id = '{job.Id}' AND payload IS NOT NULL"));
        Assert.Equal(1, await db.Jobs.RequeueInterruptedAsync(CancellationToken.None));
    }
}
