using System.Net;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Retrieval.Tests.Fixtures;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>
/// Tenant B's documents hold a canary string. Nothing tenant A can get (lists, reads, searches, chats,
/// citations, error bodies, the prompt its chat ran on) may contain it, and B's collections answer A exactly
/// as collections that do not exist. B finding its own canary is the control that the canary is indexed.
/// </summary>
public sealed class TenantIsolationTests(RetrievalServerFixture fixture) : IClassFixture<RetrievalServerFixture>
{
    private const int PromptTextEvent = 2000;

    private const string MissingCollection = "col_00000000000000000000";

    [Fact]
    public async Task NothingTenantAReadsAboutTenantBsCollectionsHoldsTheCanaryOrAnswersDifferentlyFromAMissingOne()
    {
        var plant = await PlantAsync("reads");
        var a = plant.A;
        var missing = await a.GetAsync($"/v1/collections/{MissingCollection}");
        var answers = new List<ApiAnswer>();

        var listed = await a.GetAsync("/v1/collections");
        answers.Add(listed);
        Assert.Equal(["handbook"], listed.Json.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.DoesNotContain(plant.SecretsId, listed.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(plant.BHandbookId, listed.Raw, StringComparison.Ordinal);

        foreach (var collection in new[] { plant.SecretsId, "plant-secrets", plant.BHandbookId })
        {
            foreach (var path in new[]
            {
                $"/v1/collections/{collection}",
                $"/v1/collections/{collection}/documents",
                $"/v1/collections/{collection}/documents/merger-plan",
                $"/v1/collections/{collection}/documents/merger-plan?include_chunks=true",
                $"/v1/collections/{collection}/jobs/{plant.SecretJobId}",
            })
            {
                var answer = await a.GetAsync(path);
                answers.Add(answer);
                Assert.True(answer.Status == HttpStatusCode.NotFound, $"{path}: {answer}");
                Assert.Equal(missing.Raw, answer.Raw);
            }
        }

        // A's own collection id with B's document and job ids: still nothing of B.
        var document = await a.GetAsync($"/v1/collections/{plant.AHandbookId}/documents/merger-plan?include_chunks=true");
        var job = await a.GetAsync($"/v1/collections/{plant.AHandbookId}/jobs/{plant.SecretJobId}");
        answers.AddRange([document, job]);
        Assert.Equal(ErrorCodes.DocumentNotFound, document.ErrorCode);
        Assert.Equal(ErrorCodes.JobNotFound, job.ErrorCode);

        Assert.All(answers, answer => Assert.DoesNotContain(plant.Canary, answer.Raw, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("keyword")]
    [InlineData("vector")]
    [InlineData("hybrid")]
    public async Task TenantASearchingItsOwnCollectionForTheCanaryFindsOnlyItsOwnChunks(string mode)
    {
        var plant = await PlantAsync("search-" + mode);

        var own = await plant.A.PostAsync($"/v1/collections/{plant.AHandbookId}/search", new { query = $"{plant.Canary} merger plan acquisition Fjordline", mode, top_k = 50 });
        var byName = await plant.A.PostAsync("/v1/collections/handbook/search", new { query = plant.Canary, mode, top_k = 50 });
        var theirs = await plant.A.PostAsync($"/v1/collections/{plant.SecretsId}/search", new { query = plant.Canary, mode });
        var theirsByName = await plant.A.PostAsync("/v1/collections/plant-secrets/search", new { query = plant.Canary, mode });

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(HttpStatusCode.OK, byName.Status);
        Assert.All(own.Json.GetProperty("data").EnumerateArray().Concat(byName.Json.GetProperty("data").EnumerateArray()),
            hit => Assert.Contains(hit.GetProperty("document_id").GetString(), new[] { "shift-rules", "canteen" }));
        Assert.Equal(ErrorCodes.CollectionNotFound, theirs.ErrorCode);
        Assert.Equal(ErrorCodes.CollectionNotFound, theirsByName.ErrorCode);
        Assert.All([own, byName, theirs, theirsByName], answer => Assert.DoesNotContain(plant.Canary, answer.Raw, StringComparison.Ordinal));

        // The control: the canary is indexed and B finds it.
        var control = await plant.B.PostAsync($"/v1/collections/{plant.SecretsId}/search", new { query = plant.Canary, mode = "keyword" });
        Assert.Contains(plant.Canary, control.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantAsChatCannotReachTenantBsCollectionByIdOrNameAndItsPromptNeverHoldsTheCanary()
    {
        var plant = await PlantAsync("chat");
        var answers = new List<ApiAnswer>();
        var questions = new List<string>();

        foreach (var collection in new[] { plant.SecretsId, "plant-secrets", plant.BHandbookId })
        {
            var question = $"Tell me about the merger plan {plant.Canary} {Guid.NewGuid():N}";
            var answer = await plant.A.PostAsync("/v1/chat/completions", Chat(question, collection));
            answers.Add(answer);
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Equal(ErrorCodes.CollectionNotFound, answer.ErrorCode);
        }

        // A's own collection of the same name as one of B's: A's documents, never B's.
        foreach (var mode in new[] { "keyword", "vector", "hybrid" })
        {
            var question = $"What about the Fjordline merger plan {Guid.NewGuid():N}";
            questions.Add(question);
            var answer = await plant.A.PostAsync("/v1/chat/completions", Chat(question, "handbook", mode));
            answers.Add(answer);
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            var citations = answer.Json.GetProperty("citations").EnumerateArray().ToList();
            Assert.NotEmpty(citations);
            Assert.All(citations, c => Assert.Equal("handbook", c.GetProperty("collection").GetString()));
            Assert.All(citations, c => Assert.Contains(c.GetProperty("document_id").GetString(), new[] { "shift-rules", "canteen" }));
        }

        Assert.All(answers, answer => Assert.DoesNotContain(plant.Canary, answer.Raw, StringComparison.Ordinal));
        foreach (var question in questions)
        {
            var prompt = Assert.Single(fixture.Logs.Entries, e => e.EventId == PromptTextEvent && e.Message.Contains(question, StringComparison.Ordinal)).Message;
            Assert.Contains("<<<reference 1:", prompt, StringComparison.Ordinal);
            Assert.DoesNotContain(plant.Canary, prompt, StringComparison.Ordinal);
            Assert.DoesNotContain("Fjordline acquisition", prompt, StringComparison.Ordinal);
        }

        // The control: B's own chat puts the canary into its prompt.
        var control = $"merger plan {plant.Canary} {Guid.NewGuid():N}";
        var controlAnswer = await plant.B.PostAsync("/v1/chat/completions", Chat(control, "plant-secrets", "keyword"));
        Assert.Contains(plant.Canary, controlAnswer.Raw, StringComparison.Ordinal);
        var controlPrompt = Assert.Single(fixture.Logs.Entries, e => e.EventId == PromptTextEvent && e.Message.Contains(control, StringComparison.Ordinal)).Message;
        Assert.Contains("Fjordline acquisition", controlPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantACannotChangeTenantBsCollection()
    {
        var plant = await PlantAsync("writes");
        var before = await plant.B.SnapshotAsync(plant.SecretsId);

        var answers = new[]
        {
            await plant.A.PostAsync($"/v1/collections/{plant.SecretsId}/documents", new { id = "merger-plan", text = "Overwritten by tenant A." }),
            await plant.A.PostAsync("/v1/collections/plant-secrets/documents", new { id = "planted", text = "Planted by tenant A." }),
            await plant.A.UploadFilesAsync(plant.SecretsId, [new("planted.txt", "text/plain", "Planted by tenant A."u8.ToArray())]),
            await plant.A.DeleteAsync($"/v1/collections/{plant.SecretsId}/documents/merger-plan"),
            await plant.A.DeleteAsync($"/v1/collections/{plant.SecretsId}"),
            await plant.A.DeleteAsync("/v1/collections/plant-secrets"),
        };

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.NotFound, answer.Status));
        Assert.All(answers, answer => Assert.Equal(ErrorCodes.CollectionNotFound, answer.ErrorCode));
        Assert.Equal(before, await plant.B.SnapshotAsync(plant.SecretsId));
        var document = await plant.B.GetDocumentAsync(plant.SecretsId, "merger-plan");
        Assert.Contains(document.GetProperty("chunks").EnumerateArray(), c => c.GetProperty("text").GetString()!.Contains(plant.Canary, StringComparison.Ordinal));
    }

    /// <summary>
    /// Tenant B: "plant-secrets" with the canary in a document's text, title and source, and "handbook" with the
    /// canary too. Tenant A: its own "handbook" (the same name as B's) with two harmless documents.
    /// </summary>
    private async Task<Plant> PlantAsync(string name)
    {
        var canary = $"CANARY-{Guid.NewGuid():N}"[..22].ToUpperInvariant();
        var a = fixture.Client($"iso-{name}-a", ApiScopes.Inference, ApiScopes.Ingest);
        var b = fixture.Client($"iso-{name}-b", ApiScopes.Inference, ApiScopes.Ingest);

        var secrets = await b.CreateCollectionAsync("plant-secrets");
        var upload = await b.PostAsync($"/v1/collections/{secrets}/documents", new
        {
            id = "merger-plan",
            text = $"Board memo {canary}: the Fjordline acquisition closes in March. The merger plan {canary} stays confidential until then.",
            title = $"Merger plan {canary}",
            source = $"board://{canary}",
        });
        Assert.Equal(HttpStatusCode.Accepted, upload.Status);
        var jobId = upload.Json.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await b.WaitForJobAsync(secrets, jobId)).GetProperty("status").GetString());
        var bHandbook = await b.CreateCollectionAsync("handbook");
        await b.IngestTextAsync(bHandbook, "merger-plan", $"Handbook copy of the merger plan {canary}: Fjordline acquisition details.");

        var aHandbook = await a.CreateCollectionAsync("handbook");
        await a.IngestTextAsync(aHandbook, "shift-rules", "Shift hand-over happens at the line leader's desk. The merger of the two shift logs is planned for spring.");
        await a.IngestTextAsync(aHandbook, "canteen", "The canteen opens at 06:00. Plans for the new menu are on the notice board.");
        return new Plant(a, b, canary, secrets, jobId, bHandbook, aHandbook);
    }

    private static object Chat(string question, string collection, string mode = "hybrid") => new
    {
        messages = new[] { new { role = "user", content = question } },
        max_tokens = 4,
        temperature = 0,
        retrieval = new { collection, top_k = 4, mode },
    };

    private sealed record Plant(RetrievalClient A, RetrievalClient B, string Canary, string SecretsId, string SecretJobId, string BHandbookId, string AHandbookId);
}
