using System.Net;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>
/// Two tenants on one daemon (stories260K embeds): a long document of one tenant neither blocks the other's
/// upload nor outlives its own deletion. The long document makes some 600 chunks, tens of seconds of embedding,
/// while the other tenant's one-chunk upload needs at most a couple of slices of it.
/// </summary>
public sealed class IngestFairnessTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;
    private RetrievalClient _tenantA = null!;
    private RetrievalClient _tenantB = null!;

    private CapturingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _server = await InferenceTestServer.StartAsync(
            TestModels.Stories260K,
            new Dictionary<string, string>
            {
                ["Api:MaxRequestBodyBytes"] = "4194304",
                ["Api:RateLimitPerSecond"] = "0",
                ["Retrieval:MaxDocumentBytes"] = "2097152",
                ["Retrieval:MaxDocumentCharacters"] = "2000000",
                ["Retrieval:MaxChunksPerDocument"] = "5000",
            },
            Logs);
        _tenantA = new RetrievalClient(_server, _server.CreateKey("tenant-a", ApiScopes.Inference, ApiScopes.Ingest));
        _tenantB = new RetrievalClient(_server, _server.CreateKey("tenant-b", ApiScopes.Inference, ApiScopes.Ingest));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AnotherTenantsSmallUploadIsIngestedWhileALongDocumentIsStillEmbeddingAndDeletingTheLongOneCancelsItsJob()
    {
        var manuals = await _tenantA.CreateCollectionAsync("manuals");
        var longJob = await StartLongIngestAsync(manuals, "handbook");

        var notes = await _tenantB.CreateCollectionAsync("notes");
        await _tenantB.IngestTextAsync(notes, "memo", "The valve on line two is closed for maintenance.");

        var stillRunning = (await _tenantA.GetAsync($"/v1/collections/{manuals}/jobs/{longJob}")).Json;
        Assert.Equal("running", stillRunning.GetProperty("status").GetString());

        var deleted = await _tenantA.DeleteAsync($"/v1/collections/{manuals}/documents/handbook");
        Assert.True(deleted.Status == HttpStatusCode.OK, deleted.ToString());
        var cancelled = (await _tenantA.GetAsync($"/v1/collections/{manuals}/jobs/{longJob}")).Json;
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("document_deleted", cancelled.GetProperty("error").GetProperty("code").GetString());

        // The worker let the job go (it logged the cancellation) and takes the same tenant's next upload.
        await _tenantA.IngestTextAsync(manuals, "memo", "The pump on line two was serviced.");
        Assert.Contains(Logs.Entries, e => e.EventId == 4005 && e.Message.Contains(longJob, StringComparison.Ordinal));
        Assert.DoesNotContain(Logs.Entries, e => e.EventId == 4001 && e.Message.Contains("handbook", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await _tenantA.GetAsync($"/v1/collections/{manuals}/documents/handbook")).Status);
        var collection = (await _tenantA.GetAsync($"/v1/collections/{manuals}")).Json;
        Assert.Equal(1, collection.GetProperty("document_count").GetInt32());
    }

    [Fact]
    public async Task DeletingACollectionStopsItsRunningJobAndTheWorkerTakesTheNextUpload()
    {
        var doomed = await _tenantA.CreateCollectionAsync("doomed");
        var longJob = await StartLongIngestAsync(doomed, "handbook");

        var deleted = await _tenantA.DeleteAsync($"/v1/collections/{doomed}");
        Assert.True(deleted.Status == HttpStatusCode.OK, deleted.ToString());

        var kept = await _tenantA.CreateCollectionAsync("kept");
        await _tenantA.IngestTextAsync(kept, "memo", "The pump on line two was serviced.");
        Assert.Contains(Logs.Entries, e => e.EventId == 4005 && e.Message.Contains(longJob, StringComparison.Ordinal));
        Assert.DoesNotContain(Logs.Entries, e => e.EventId == 4001 && e.Message.Contains("handbook", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await _tenantA.GetAsync($"/v1/collections/{doomed}/jobs/{longJob}")).Status);
    }

    /// <summary>Uploads a document of some 600 chunks and waits until its job is being worked on.</summary>
    private async Task<string> StartLongIngestAsync(string collection, string id)
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 3000).Select(p => $"Paragraph {p}: the pump on line {p % 7} was checked, the seal replaced and the impeller torqued to {p % 50} Nm by the night shift."));
        var answer = await _tenantA.PostAsync($"/v1/collections/{collection}/documents", new { id, text });
        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        var job = answer.Json.GetProperty("id").GetString()!;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while ((await _tenantA.GetAsync($"/v1/collections/{collection}/jobs/{job}")).Json.GetProperty("status").GetString() != "running")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), limit.Token);
        }

        return job;
    }
}
