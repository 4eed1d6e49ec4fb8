using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Retrieval.Tests.Fixtures;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>Uploading documents as JSON and as multipart files, following their jobs, and reading back what was stored.</summary>
public sealed class DocumentUploadTests(RetrievalServerFixture fixture) : IClassFixture<RetrievalServerFixture>
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>Per fixture: the media type it is stored as, and facts only it holds (see Fixtures/README.md).</summary>
    private static readonly Dictionary<string, (string MediaType, string[] Facts)> Expected = new()
    {
        ["press-maintenance-manual.md"] = ("text/markdown", ["HP4-SK-0917", "420 N·m", "Ingrid Solberg"]),
        ["conveyor-lockout-instruction.html"] = ("text/html", ["CB-3-14", "PV-308", "Marcus Oyelaran"]),
        ["gateway-firmware-changelog.txt"] = ("text/plain", ["GW-2291", "RSA-3072", "Tomasz Wierzbicki"]),
        ["annual-leave-policy.docx"] = (Docx, ["LeaveDesk", "31 March", "Priya Raman"]),
    };

    private static readonly string[] Canaries =
    [
        "SCRIPT-CANARY", "STYLE-CANARY", "NAV-CANARY", "BREADCRUMB-CANARY", "COMMENT-CANARY", "HIDDEN-CANARY",
        "TEMPLATE-CANARY", "NOSCRIPT-CANARY", "SVG-CANARY", "DELETED-CANARY", "FIELDCODE-CANARY",
    ];

    [Fact]
    public async Task AJsonDocumentIsAcknowledgedWithAJobThatEndsWithTheDocumentChunked()
    {
        var client = fixture.Client("upload-json", ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("notes");
        var text = "# Press start-up\n\nWarm the hydraulic oil to 30 °C before the first stroke.\n\n## Shift hand-over\n\nWrite the stroke counter reading into the log book.";

        var upload = await client.PostAsync($"/v1/collections/{collection}/documents",
            new { id = "startup-note", text, content_type = "text/markdown", title = "Start-up note", source = "wiki://press/startup", tags = new[] { "press", "shift" } });

        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        var jobId = upload.Json.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/collections/{collection}/jobs/{jobId}", upload.Location?.OriginalString);
        Assert.Equal("ingest_job", upload.Json.GetProperty("object").GetString());
        Assert.Equal("startup-note", upload.Json.GetProperty("document_id").GetString());
        Assert.Contains(upload.Json.GetProperty("status").GetString(), new[] { "queued", "running", "succeeded" });

        var job = await client.WaitForJobAsync(collection, jobId);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);
        Assert.True(job.GetProperty("total_chunks").GetInt32() > 0);
        Assert.Equal(job.GetProperty("total_chunks").GetInt32(), job.GetProperty("done_chunks").GetInt32());

        var document = await client.GetDocumentAsync(collection, "startup-note");
        Assert.Equal("Start-up note", document.GetProperty("title").GetString());
        Assert.Equal("wiki://press/startup", document.GetProperty("source").GetString());
        Assert.Equal("text/markdown", document.GetProperty("content_type").GetString());
        Assert.Equal(["press", "shift"], document.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        AssertChunksAreComplete(document);
        var chunks = ChunkTexts(document);
        Assert.Contains("Warm the hydraulic oil to 30 °C", chunks, StringComparison.Ordinal);
        Assert.Contains("stroke counter reading", chunks, StringComparison.Ordinal);
        Assert.DoesNotContain("# Press", chunks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultipartFilesOfEveryFormatAreEachQueuedAndIngestedWithTheirFacts()
    {
        var client = fixture.Client("upload-multipart", ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("site-library");

        var files = FixtureDocuments.All; // Once: each read writes the .docx anew, with its own timestamps.
        var upload = await client.UploadFilesAsync(collection, files, ("tags", "site, library"));

        Assert.True(upload.Status == HttpStatusCode.Accepted, upload.ToString());
        Assert.Equal("list", upload.Json.GetProperty("object").GetString());
        var jobs = upload.Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(files.Count, jobs.Count);
        Assert.Equal(jobs.Count, jobs.Select(j => j.GetProperty("document_id").GetString()).Distinct().Count());
        for (var i = 0; i < jobs.Count; i++)
        {
            var fixtureFile = files[i];
            var job = await client.WaitForJobAsync(collection, jobs[i].GetProperty("id").GetString()!);
            Assert.True(job.GetProperty("status").GetString() == "succeeded", $"{fixtureFile.FileName}: {job}");

            var document = await client.GetDocumentAsync(collection, jobs[i].GetProperty("document_id").GetString()!);
            var (mediaType, facts) = Expected[fixtureFile.FileName];
            Assert.Equal(mediaType, document.GetProperty("content_type").GetString());
            Assert.Equal(fixtureFile.FileName, document.GetProperty("source").GetString());
            Assert.Equal(fixtureFile.Content.Length, document.GetProperty("bytes").GetInt64());
            Assert.Equal(["site", "library"], document.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            AssertChunksAreComplete(document);
            var text = ChunkTexts(document);
            Assert.All(facts, fact => Assert.Contains(fact, text, StringComparison.Ordinal));
            Assert.All(Canaries, canary => Assert.DoesNotContain(canary, text, StringComparison.Ordinal));
        }

        var shown = await client.GetAsync($"/v1/collections/{collection}");
        Assert.Equal(4, shown.Json.GetProperty("document_count").GetInt32());
    }

    [Fact]
    public async Task AMultipartDocxWithAnIdAndTitleIsStoredUnderThem()
    {
        var client = fixture.Client("upload-docx", ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("hr");

        var upload = await client.UploadFilesAsync(collection, [FixtureDocuments.LeavePolicy], ("id", "leave-2024"), ("title", "Leave policy 2024"), ("source", "hr://policies/leave"));

        Assert.True(upload.Status == HttpStatusCode.Accepted, upload.ToString());
        var job = Assert.Single(upload.Json.GetProperty("data").EnumerateArray());
        Assert.Equal("leave-2024", job.GetProperty("document_id").GetString());
        Assert.Equal("succeeded", (await client.WaitForJobAsync(collection, job.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        var document = await client.GetDocumentAsync(collection, "leave-2024");
        Assert.Equal("Leave policy 2024", document.GetProperty("title").GetString());
        Assert.Equal("hr://policies/leave", document.GetProperty("source").GetString());
        Assert.Equal(Docx, document.GetProperty("content_type").GetString());
        AssertChunksAreComplete(document);
        Assert.Contains(document.GetProperty("chunks").EnumerateArray(), c => c.GetProperty("heading").GetString()!.Contains("2.1 Carry-over", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UploadingAnExistingIdReplacesTheDocumentInsteadOfAddingOne()
    {
        var client = fixture.Client("upload-replace", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("notes");
        await client.IngestTextAsync(collection, "pump", "The impeller of pump P-7 is fitted with a carbon seal.");
        var first = await client.GetDocumentAsync(collection, "pump");

        await client.IngestTextAsync(collection, "pump", "Pump P-7 now has a ceramic bearing.\n\nIts coupling is checked monthly.");

        var second = await client.GetDocumentAsync(collection, "pump");
        Assert.NotEqual(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        Assert.DoesNotContain("impeller", ChunkTexts(second), StringComparison.Ordinal);
        Assert.Contains("ceramic bearing", ChunkTexts(second), StringComparison.Ordinal);
        AssertChunksAreComplete(second);
        var shown = (await client.GetAsync($"/v1/collections/{collection}")).Json;
        Assert.Equal(1, shown.GetProperty("document_count").GetInt32());
        Assert.Equal(second.GetProperty("chunk_count").GetInt32(), shown.GetProperty("chunk_count").GetInt32());
        var oldWords = await client.PostAsync($"/v1/collections/{collection}/search", new { query = "impeller carbon seal", mode = "keyword" });
        Assert.Empty(oldWords.Json.GetProperty("data").EnumerateArray());
        var newWords = await client.PostAsync($"/v1/collections/{collection}/search", new { query = "ceramic bearing", mode = "keyword" });
        Assert.Equal("pump", newWords.Json.GetProperty("data")[0].GetProperty("document_id").GetString());
    }

    [Fact]
    public async Task ADeletedDocumentIsGoneFromReadsAndSearch()
    {
        var client = fixture.Client("upload-delete", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("notes");
        await client.IngestTextAsync(collection, "valve", "Valve PV-308 feeds the pneumatic header of line 3.");
        await client.IngestTextAsync(collection, "belt", "The belt of conveyor line 3 is tensioned every quarter.");

        var deleted = await client.DeleteAsync($"/v1/collections/{collection}/documents/valve");
        var again = await client.DeleteAsync($"/v1/collections/{collection}/documents/valve");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal(ErrorCodes.DocumentNotFound, again.ErrorCode);
        var read = await client.GetAsync($"/v1/collections/{collection}/documents/valve");
        Assert.Equal(HttpStatusCode.NotFound, read.Status);
        Assert.Equal(ErrorCodes.DocumentNotFound, read.ErrorCode);
        foreach (var mode in new[] { "keyword", "vector", "hybrid" })
        {
            var search = await client.PostAsync($"/v1/collections/{collection}/search", new { query = "Valve PV-308 pneumatic header line 3", mode, top_k = 10 });
            Assert.Equal(HttpStatusCode.OK, search.Status);
            Assert.DoesNotContain(search.Json.GetProperty("data").EnumerateArray(), h => h.GetProperty("document_id").GetString() == "valve");
        }

        Assert.Equal(1, (await client.GetAsync($"/v1/collections/{collection}")).Json.GetProperty("document_count").GetInt32());
    }

    /// <summary>The stored chunks are all there: as many as chunk_count, ordinals 0..n-1, non-empty text, spans in order.</summary>
    internal static void AssertChunksAreComplete(JsonElement document)
    {
        var chunks = document.GetProperty("chunks").EnumerateArray().ToList();
        Assert.NotEmpty(chunks);
        Assert.Equal(document.GetProperty("chunk_count").GetInt32(), chunks.Count);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.GetProperty("ordinal").GetInt32()));
        Assert.All(chunks, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("text").GetString())));
        Assert.All(chunks, c => Assert.True(c.GetProperty("end").GetInt32() > c.GetProperty("start").GetInt32()));
    }

    private static string ChunkTexts(JsonElement document) =>
        string.Join("\n", document.GetProperty("chunks").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
}
