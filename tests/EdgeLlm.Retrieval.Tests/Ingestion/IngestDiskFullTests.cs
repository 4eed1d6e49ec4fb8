using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Retrieval.Tests.Ingestion;

/// <summary>retrieval.db on a 4 MiB tmpfs the test fills: the worker waits, loses nothing and finishes once space is freed.</summary>
public sealed class IngestDiskFullTests
{
    [Fact]
    public async Task AJobThatMeetsAFullDiskWaitsWithoutFailingAndCompletesWholeOnceSpaceIsFreed()
    {
        using var tmpfs = SmallTmpfs.Mount(4 << 20);
        using var db = new TestDatabase(o =>
        {
            o.DatabasePath = Path.Combine(tmpfs.Path, "retrieval.db");
            o.DiskFullRetryInterval = TimeSpan.FromMilliseconds(200);
        });
        await using var harness = new IngestWorkerHarness(db);
        var manuals = await db.CreateCollectionAsync("tenant-a", "manuals", HashedWordEmbeddings.Dimensions);
        var job = await harness.EnqueueAsync("tenant-a", manuals, "handbook", IngestWorkerHarness.Document("pump", 60));
        tmpfs.Fill();

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Logger.Events.Contains(4006));

        // Full: the job is neither failed nor half-written, and the worker is still there.
        Assert.Contains(harness.Status(job.Id), new[] { IngestJobStatus.Queued, IngestJobStatus.Running });
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM documents"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks"));
        Assert.False(harness.Worker.ExecuteTask!.IsCompleted);

        tmpfs.Free();
        await harness.WaitForStatusAsync(job.Id, IngestJobStatus.Succeeded);
        Assert.Equal(60, db.Scalar("SELECT COUNT(*) FROM chunks WHERE document_id = 'handbook'"));
        Assert.Equal(60, db.Scalar("SELECT chunk_count FROM documents WHERE id = 'handbook'"));
        Assert.Equal(0, db.Scalar($"SELECT attempts FROM ingest_jobs WHERE id = '{job.Id}'"));
        Assert.Contains(4007, harness.Logger.Events);
        Assert.Equal("ok", db.Text("PRAGMA integrity_check"));
    }
}
