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
}
