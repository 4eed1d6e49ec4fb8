using System.Net;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>
/// retrieval.db on an 8 MiB tmpfs that the test fills while a long document is being embedded: writes answer 507
/// with a JSON body, the job waits instead of failing, inference keeps answering, and all of it resumes by itself
/// once the space is freed.
/// </summary>
public sealed class IngestDiskFullTests
{
    [Fact]
    public async Task AFullDiskAnswers507ToWritesKeepsInferenceServingAndIngestionResumesOnceSpaceIsFreed()
    {
        using var tmpfs = SmallTmpfs.Mount(8 << 20);
        var logs = new CapturingLoggerProvider();
        await using var server = await InferenceTestServer.StartAsync(
            TestModels.Stories260K,
            new Dictionary<string, string>
            {
                ["Retrieval:DatabasePath"] = Path.Combine(tmpfs.Path, "retrieval.db"),
                ["Retrieval:DiskFullRetryInterval"] = "00:00:00.200",
                ["Api:MaxRequestBodyBytes"] = "1048576",
                ["Api:RateLimitPerSecond"] = "0",
            },
            logs);
        var client = new RetrievalClient(server, server.CreateKey("tenant-a", ApiScopes.Inference, ApiScopes.Ingest));
        var manuals = await client.CreateCollectionAsync("manuals");
        var text = string.Join("\n\n", Enumerable.Range(0, 100).Select(p => $"Paragraph {p}: the pump on line {p % 7} was checked and its seal replaced by the night shift."));
        var upload = await client.PostAsync($"/v1/collections/{manuals}/documents", new { id = "handbook", text });
        Assert.True(upload.Status == HttpStatusCode.Accepted, upload.ToString());
        var job = upload.Json.GetProperty("id").GetString()!;
        tmpfs.Fill();

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!logs.Entries.Any(e => e.EventId == 4006))
        {
            Assert.True(DateTime.UtcNow < deadline, "Ingestion never met the full disk: " + (await client.GetAsync($"/v1/collections/{manuals}/jobs/{job}")) + "\n"
                + string.Join("\n", logs.Entries.Where(e => e.EventId is >= 4000 and < 5000 || e.EventId == 0).Select(e => $"{e.EventId} {e.Message}").TakeLast(20)));
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var refused = await client.PostAsync($"/v1/collections/{manuals}/documents", new { id = "memo", text = "The valve on line two is closed." });
        Assert.True(refused.Status == HttpStatusCode.InsufficientStorage, refused.ToString());
        Assert.Equal("insufficient_storage", refused.ErrorCode);
        var refusedCollection = await client.PostAsync("/v1/collections", new { name = "more" });
        Assert.Equal(HttpStatusCode.InsufficientStorage, refusedCollection.Status);
        Assert.Equal("insufficient_storage", refusedCollection.ErrorCode);

        var waiting = (await client.GetAsync($"/v1/collections/{manuals}/jobs/{job}")).Json;
        Assert.Equal("running", waiting.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/collections/{manuals}/documents/handbook")).Status);
        var completion = await client.PostAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 4 });
        Assert.True(completion.Status == HttpStatusCode.OK, completion.ToString());

        tmpfs.Free();
        var finished = await client.WaitForJobAsync(manuals, job);
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        var document = await client.GetDocumentAsync(manuals, "handbook");
        Assert.Equal(finished.GetProperty("total_chunks").GetInt32(), document.GetProperty("chunk_count").GetInt32());
        Assert.Equal(document.GetProperty("chunk_count").GetInt32(), document.GetProperty("chunks").GetArrayLength());
        await client.IngestTextAsync(manuals, "memo", "The valve on line two is closed.");
        Assert.Contains(logs.Entries, e => e.EventId == 4007);
    }
}
