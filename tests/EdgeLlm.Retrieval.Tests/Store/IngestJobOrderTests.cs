using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Store;

public sealed class IngestJobOrderTests
{
    [Fact]
    public async Task TheJobsOfOneUploadAreTakenInTheOrderTheyWereUploaded()
    {
        // One multipart upload queues its jobs in one transaction, so they share their created_at; the
        // worker promises oldest first, and the upload's answer lists the jobs in file order.
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        var requests = Enumerable.Range(0, 20)
            .Select(i => new IngestRequest(collection.Id, $"doc-{i:00}", $"file-{i:00}.txt", "text/plain", null, null, [], "Some text."u8.ToArray()))
            .ToList();
        Assert.NotNull(await db.Jobs.EnqueueAsync("tenant-a", requests, CancellationToken.None));

        var taken = new List<string>();
        while (await db.Jobs.TakeNextAsync(CancellationToken.None) is { } next)
        {
            taken.Add(next.Job.DocumentId);
        }

        Assert.Equal(requests.Select(r => r.DocumentId), taken);
    }

    [Fact]
    public async Task JobsAreTakenRoundRobinOverTenantsNotOldestFirst()
    {
        using var db = new TestDatabase();
        foreach (var (tenant, documents) in new[] { ("tenant-a", new[] { "a1", "a2", "a3" }), ("tenant-b", ["b1"]), ("tenant-c", ["c1"]) })
        {
            var collection = await db.CreateCollectionAsync(tenant, "manuals");
            var requests = documents.Select(d => new IngestRequest(collection.Id, d, d + ".txt", "text/plain", null, null, [], "Some text."u8.ToArray())).ToList();
            Assert.NotNull(await db.Jobs.EnqueueAsync(tenant, requests, CancellationToken.None));
        }

        var taken = new List<string>();
        string? last = null;
        while (await db.Jobs.TakeNextAsync([], last, CancellationToken.None) is { } next)
        {
            taken.Add(next.Job.DocumentId);
            last = next.Job.Tenant;
        }

        Assert.Equal(["a1", "b1", "c1", "a2", "a3"], taken);
    }

    [Fact]
    public async Task ATenantWhoseJobIsHeldGetsNoSecondJobUntilItIsReleased()
    {
        using var db = new TestDatabase();
        var collection = await db.CreateCollectionAsync("tenant-a", "manuals");
        var requests = new[] { "a1", "a2" }.Select(d => new IngestRequest(collection.Id, d, null, "text/plain", null, null, [], "Some text."u8.ToArray())).ToList();
        Assert.NotNull(await db.Jobs.EnqueueAsync("tenant-a", requests, CancellationToken.None));

        Assert.Equal("a1", (await db.Jobs.TakeNextAsync(["tenant-b"], null, CancellationToken.None))?.Job.DocumentId);
        Assert.Null(await db.Jobs.TakeNextAsync(["tenant-a"], null, CancellationToken.None));
        Assert.Equal("a2", (await db.Jobs.TakeNextAsync([], "tenant-a", CancellationToken.None))?.Job.DocumentId);
    }

    [Fact]
    public async Task OneTenantCannotFillTheWholeQueueWhileAnotherStillGetsIn()
    {
        using var db = new TestDatabase(o => (o.MaxPendingIngests, o.MaxPendingIngestsPerTenant) = (6, 4));
        var mine = await db.CreateCollectionAsync("tenant-a", "manuals");
        var theirs = await db.CreateCollectionAsync("tenant-b", "manuals");
        IngestRequest Request(CollectionInfo collection, int n) => new(collection.Id, $"doc-{n}", null, "text/plain", null, null, [], "Some text."u8.ToArray());

        Assert.NotNull(await db.Jobs.EnqueueAsync("tenant-a", [.. Enumerable.Range(0, 4).Select(n => Request(mine, n))], CancellationToken.None));
        Assert.Null(await db.Jobs.EnqueueAsync("tenant-a", [Request(mine, 4)], CancellationToken.None));
        Assert.NotNull(await db.Jobs.EnqueueAsync("tenant-b", [Request(theirs, 0), Request(theirs, 1)], CancellationToken.None));
        Assert.Null(await db.Jobs.EnqueueAsync("tenant-b", [Request(theirs, 2)], CancellationToken.None));
        Assert.Equal(6, db.Scalar("SELECT COUNT(*) FROM ingest_jobs"));
    }
}
