using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Store;

public sealed class CollectionStoreTests
{
    [Fact]
    public async Task ACollectionIsInvisibleToAnotherTenantByIdAndByName()
    {
        using var db = new TestDatabase();
        var manuals = await db.CreateCollectionAsync("tenant-a", "manuals");

        Assert.NotNull(db.Collections.Find("tenant-a", manuals.Id));
        Assert.NotNull(db.Collections.Find("tenant-a", "manuals"));
        Assert.Null(db.Collections.Find("tenant-b", manuals.Id));
        Assert.Null(db.Collections.Find("tenant-b", "manuals"));
        Assert.Empty(db.Collections.List("tenant-b"));
        Assert.False(await db.Collections.DeleteAsync("tenant-b", manuals.Id, CancellationToken.None));
        Assert.NotNull(db.Collections.Find("tenant-a", manuals.Id));
    }

    [Fact]
    public async Task NamesAreUniquePerTenantOnly()
    {
        using var db = new TestDatabase();
        await db.CreateCollectionAsync("tenant-a", "manuals");

        var again = await db.Collections.CreateAsync("tenant-a", "manuals", null, "m", 4, CancellationToken.None);
        var otherTenant = await db.Collections.CreateAsync("tenant-b", "manuals", null, "m", 4, CancellationToken.None);

        Assert.IsType<CreateCollectionResult.NameTaken>(again);
        Assert.IsType<CreateCollectionResult.Created>(otherTenant);
    }

    [Fact]
    public async Task ATenantCannotExceedItsCollectionLimit()
    {
        using var db = new TestDatabase(o => o.MaxCollectionsPerTenant = 2);
        await db.CreateCollectionAsync("tenant-a", "one");
        await db.CreateCollectionAsync("tenant-a", "two");

        var third = await db.Collections.CreateAsync("tenant-a", "three", null, "m", 4, CancellationToken.None);

        Assert.Equal(2, Assert.IsType<CreateCollectionResult.LimitReached>(third).Limit);
        Assert.IsType<CreateCollectionResult.Created>(await db.Collections.CreateAsync("tenant-b", "three", null, "m", 4, CancellationToken.None));
    }

    [Fact]
    public async Task DeletingACollectionRemovesItsDocumentsChunksTextIndexAndJobs()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        await db.Documents.ReplaceAsync(Documents.Info(collection.Id, "pump"), Documents.Chunks("impeller torque", "seal kit"), CancellationToken.None);
        await db.Jobs.EnqueueAsync("tenant-a", [new IngestRequest(collection.Id, "later", null, "text/plain", null, null, [], [1, 2, 3])], CancellationToken.None);

        Assert.True(await db.Collections.DeleteAsync("tenant-a", collection.Id, CancellationToken.None));

        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM documents"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM ingest_jobs"));
        Assert.Equal(0, db.Scalar("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH 'impeller'"));
        db.Scalar("INSERT INTO chunks_fts(chunks_fts) VALUES('integrity-check')");
    }
}
