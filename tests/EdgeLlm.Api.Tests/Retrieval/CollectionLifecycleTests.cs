using System.Net;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>Creating, listing, showing and deleting collections, and which scope may do what.</summary>
public sealed class CollectionLifecycleTests(RetrievalServerFixture fixture) : IClassFixture<RetrievalServerFixture>
{
    [Fact]
    public async Task ACollectionIsCreatedListedFoundByIdOrNameAndDeletedWithItsDocuments()
    {
        var client = fixture.Client("lifecycle", ApiScopes.Inference, ApiScopes.Ingest);

        var created = await client.PostAsync("/v1/collections", new { name = "work-instructions", description = "Shop-floor instructions" });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/collections/{id}", created.Location?.OriginalString);
        Assert.Equal("collection", created.Json.GetProperty("object").GetString());
        Assert.Equal("work-instructions", created.Json.GetProperty("name").GetString());
        Assert.Equal(64, created.Json.GetProperty("dimensions").GetInt32());
        Assert.Equal(0, created.Json.GetProperty("document_count").GetInt32());

        await client.IngestTextAsync(id, "torque-note", "Tighten the pump coupling set screw to 22 N·m and check it after one week of running.");

        var listed = await client.GetAsync("/v1/collections");
        var only = Assert.Single(listed.Json.GetProperty("data").EnumerateArray());
        Assert.Equal(id, only.GetProperty("id").GetString());
        Assert.Equal(1, only.GetProperty("document_count").GetInt32());
        Assert.True(only.GetProperty("chunk_count").GetInt64() >= 1);
        Assert.Equal(id, (await client.GetAsync("/v1/collections/work-instructions")).Json.GetProperty("id").GetString());
        Assert.Equal("work-instructions", (await client.GetAsync($"/v1/collections/{id}")).Json.GetProperty("name").GetString());

        var deleted = await client.DeleteAsync("/v1/collections/work-instructions");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.True(deleted.Json.GetProperty("deleted").GetBoolean());
        Assert.Empty((await client.GetAsync("/v1/collections")).Json.GetProperty("data").EnumerateArray());
        foreach (var path in new[] { $"/v1/collections/{id}", $"/v1/collections/{id}/documents", $"/v1/collections/{id}/documents/torque-note" })
        {
            var gone = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, gone.Status);
            Assert.Equal(ErrorCodes.CollectionNotFound, gone.ErrorCode);
        }

        // A new collection of the same name is a new, empty one: nothing of the old one survives.
        var again = await client.CreateCollectionAsync("work-instructions");
        Assert.NotEqual(id, again);
        Assert.Empty((await client.GetAsync($"/v1/collections/{again}/documents")).Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task ASecondCollectionWithTheSameNameIsRefusedWith409()
    {
        var client = fixture.Client("duplicates", ApiScopes.Ingest);
        await client.CreateCollectionAsync("manuals");

        var second = await client.PostAsync("/v1/collections", new { name = "manuals" });

        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(ErrorCodes.CollectionExists, second.ErrorCode);
        Assert.Single((await client.GetAsync("/v1/collections")).Json.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("name with spaces")]
    public async Task ACollectionNameOutsideTheIdAlphabetIsRefusedWith400(string name)
    {
        var client = fixture.Client("bad-names", ApiScopes.Ingest);

        var answer = await client.PostAsync("/v1/collections", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(ErrorCodes.InvalidParameter, answer.ErrorCode);
        Assert.Empty((await client.GetAsync("/v1/collections")).Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task AnInferenceOnlyKeyCanReadAndSearchButNotCreateUploadOrDelete()
    {
        var owner = fixture.Client("scopes-1", ApiScopes.Ingest);
        var reader = fixture.Client("scopes-1", ApiScopes.Inference);
        var id = await owner.CreateCollectionAsync("policies");
        await owner.IngestTextAsync(id, "vacation", "Vacation requests go through LeaveDesk fourteen days ahead.");

        var refused = new[]
        {
            await reader.PostAsync("/v1/collections", new { name = "sneaky" }),
            await reader.PostAsync($"/v1/collections/{id}/documents", new { id = "injected", text = "Sneaky text." }),
            await reader.DeleteAsync($"/v1/collections/{id}/documents/vacation"),
            await reader.DeleteAsync($"/v1/collections/{id}"),
        };

        Assert.All(refused, answer => Assert.Equal(HttpStatusCode.Forbidden, answer.Status));
        Assert.All(refused, answer => Assert.Equal(ErrorCodes.InsufficientScope, answer.ErrorCode));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/collections")).Status);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/collections/{id}/documents/vacation")).Status);
        var search = await reader.PostAsync($"/v1/collections/{id}/search", new { query = "LeaveDesk", mode = "keyword" });
        Assert.Equal(HttpStatusCode.OK, search.Status);
        Assert.Equal("vacation", search.Json.GetProperty("data")[0].GetProperty("document_id").GetString());
        var listed = (await owner.GetAsync($"/v1/collections/{id}/documents")).Json.GetProperty("data");
        Assert.Equal(["vacation"], listed.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(["policies"], (await owner.GetAsync("/v1/collections")).Json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AnIngestOnlyKeyCanCreateListAndUploadButNotSearchOrChat()
    {
        var loader = fixture.Client("scopes-2", ApiScopes.Ingest);
        var id = await loader.CreateCollectionAsync("manuals");

        var upload = await loader.PostAsync($"/v1/collections/{id}/documents", new { id = "press", text = "The press tie-rod nuts are tensioned to 1,450 bar." });
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        var job = await loader.WaitForJobAsync(id, upload.Json.GetProperty("id").GetString()!);
        var listed = await loader.GetAsync("/v1/collections");
        var document = await loader.GetAsync($"/v1/collections/{id}/documents/press");
        var search = await loader.PostAsync($"/v1/collections/{id}/search", new { query = "tie-rod" });
        var chat = await loader.PostAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "tie-rod?" } },
            max_tokens = 2,
            retrieval = new { collection = id },
        });

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.OK, document.Status);
        Assert.Equal(HttpStatusCode.Forbidden, search.Status);
        Assert.Equal(ErrorCodes.InsufficientScope, search.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, chat.Status);
        Assert.Equal(ErrorCodes.InsufficientScope, chat.ErrorCode);
    }

    [Fact]
    public async Task AnAdminOnlyKeyCannotEvenListCollections()
    {
        var admin = fixture.Client("scopes-3", ApiScopes.Admin);

        var listed = await admin.GetAsync("/v1/collections");

        Assert.Equal(HttpStatusCode.Forbidden, listed.Status);
        Assert.Equal(ErrorCodes.InsufficientScope, listed.ErrorCode);
    }
}
