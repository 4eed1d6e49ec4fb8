using System.Net;
using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Retrieval;

namespace EdgeLlm.Api.Tests.Guardrails;

/// <summary>
/// The policy on the request path, through the daemon's real composition: planted personal data never reaches the
/// model's prompt, a log at any level, the audit trail, a collection or the outbox; denied prompts are refused.
/// </summary>
public sealed class InputGuardrailTests(GuardrailServerFixture fixture) : IClassFixture<GuardrailServerFixture>
{
    private const int PromptTextEvent = 2000;
    private const int DecisionEvent = 8000;
    private const string Email = "jane.doe@example.com";
    private const string Card = "4111 1111 1111 1111";

    [Fact]
    public async Task APlantedEmailAndCardReachTheModelOnlyAsPlaceholdersAndNoLogAuditStoreOrOutboxHoldsThem()
    {
        var chat = await fixture.Plain.PostAsync("/v1/chat/completions", new
        {
            messages = new object[]
            {
                new { role = "system", content = $"The customer writes from {Email}." },
                new { role = "user", content = $"Charge my card {Card} and mail {Email} the receipt. Once upon a time" },
            },
            max_tokens = 8,
            temperature = 0,
        });
        var completion = await fixture.Plain.PostAsync("/v1/completions", new { prompt = $"Card {Card.Replace(' ', '-')} belongs to {Email}. Once upon a time", max_tokens = 8, temperature = 0 });
        var collection = await fixture.Plain.CreateCollectionAsync("customers");
        var upload = await fixture.Plain.PostAsync($"/v1/collections/{collection}/documents", new
        {
            id = "ticket",
            text = $"Ticket 7: the customer {Email} paid with card {Card} at the plant canteen.",
            source = $"mail from {Email}",
            tags = new[] { Email },
        });
        Assert.Equal("succeeded", (await fixture.Plain.WaitForJobAsync(collection, upload.Json.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        var stored = await fixture.Plain.GetAsync($"/v1/collections/{collection}/documents/ticket?include_chunks=true");
        var found = await fixture.Plain.PostAsync($"/v1/collections/{collection}/search", new { query = "customer paid with card", mode = "keyword" });
        var job = await fixture.Plain.GetAsync($"/v1/collections/{collection}/jobs/{upload.Json.GetProperty("id").GetString()}");
        // Aggregated, the decisions reach the fleet: a telemetry snapshot (one a second here) counts them in the outbox.
        Assert.True(await OutboxCountsDecisionsAsync(), "no outbox snapshot counted the decisions");

        Assert.True(chat.Status == HttpStatusCode.OK, chat.ToString());
        Assert.True(completion.Status == HttpStatusCode.OK, completion.ToString());
        Assert.Contains("[EMAIL_1]", stored.Raw, StringComparison.Ordinal);
        Assert.Contains("[CARD_1]", stored.Raw, StringComparison.Ordinal);
        Assert.Contains("[EMAIL_1]", found.Raw, StringComparison.Ordinal);
        var prompts = fixture.Logs.Entries.Where(e => e.EventId == PromptTextEvent).Select(e => e.Message).ToList();
        Assert.Contains(prompts, p => p.Contains("[EMAIL_1]", StringComparison.Ordinal) && p.Contains("[CARD_1]", StringComparison.Ordinal) && p.Contains("Once upon a time", StringComparison.Ordinal));
        // Serilog renders the string properties quoted.
        Assert.Contains(fixture.Logs.Entries, e => e.EventId == DecisionEvent && e.Message.Contains("rule \"email\", action \"redact\", direction \"input\"", StringComparison.Ordinal));
        Assert.Contains(fixture.Logs.Entries, e => e.EventId == DecisionEvent && e.Message.Contains("rule \"card\", action \"redact\", direction \"retrieved\"", StringComparison.Ordinal));
        foreach (var planted in new[] { Email, Card, Card.Replace(' ', '-'), "4111111111111111" })
        {
            Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains(planted, StringComparison.Ordinal));
            Assert.All(new[] { upload, stored, found, job }, answer => Assert.DoesNotContain(planted, answer.Raw, StringComparison.Ordinal));
            foreach (var file in fixture.WrittenFiles())
            {
                Assert.False(Holds(file, planted), $"{Path.GetFileName(file)} holds a planted value");
            }
        }

        var audit = fixture.WrittenFiles().Where(f => Path.GetFileName(f).StartsWith("audit-", StringComparison.Ordinal)).ToList();
        Assert.Contains(audit, f => Holds(f, "guard-test-7") && Holds(f, "\"Rule\":\"email\""));
    }

    [Fact]
    public async Task APromptWithADeniedWordIsRefusedWithContentBlockedNamingTheRuleOnChatAndCompletions()
    {
        var chat = await fixture.Plain.PostAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "Tell me about Zorblax, please." } }, max_tokens = 4 });
        var completion = await fixture.Plain.PostAsync("/v1/completions", new { prompt = "The zorblax plan", max_tokens = 4 });

        foreach (var answer in new[] { chat, completion })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(ErrorCodes.ContentBlocked, answer.ErrorCode);
            Assert.Contains("forbidden-topic", answer.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("orblax", answer.Raw, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(fixture.Logs.Entries, e => e.EventId == PromptTextEvent && e.Message.Contains("orblax", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ToolCallArgumentsSentBackInTheConversationGetTheInputRules()
    {
        var redacted = await fixture.Plain.PostAsync("/v1/chat/completions", ConversationWithToolCall($$"""{"to":"{{Email}}","subject":"receipt"}"""));
        var denied = await fixture.Plain.PostAsync("/v1/chat/completions", ConversationWithToolCall("""{"to":"the zorblax desk"}"""));

        Assert.True(redacted.Status == HttpStatusCode.OK, redacted.ToString());
        var prompts = fixture.Logs.Entries.Where(e => e.EventId == PromptTextEvent).Select(e => e.Message).ToList();
        Assert.Contains(prompts, p => p.Contains("send_mail", StringComparison.Ordinal) && p.Contains("[EMAIL_1]", StringComparison.Ordinal) && p.Contains("receipt", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains(Email, StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.ContentBlocked), (denied.Status, denied.ErrorCode));
        Assert.Contains("forbidden-topic", denied.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATenantsOwnPolicyBlocksWhatTheDefaultRedacts()
    {
        var strict = await fixture.Strict.PostAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = $"Write to {Email}" } }, max_tokens = 4 });
        var plain = await fixture.Plain.PostAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = $"Write to {Email}" } }, max_tokens = 4 });

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal(ErrorCodes.ContentBlocked, strict.ErrorCode);
        Assert.Contains("rule 'email'", strict.Json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(plain.Status == HttpStatusCode.OK, plain.ToString());
    }

    [Fact]
    public async Task ADocumentWithADeniedWordIsRefusedAtUploadAndNothingOfItIsStored()
    {
        var collection = await fixture.Plain.CreateCollectionAsync("refused-docs");

        var upload = await fixture.Plain.PostAsync($"/v1/collections/{collection}/documents", new { id = "memo", text = "Memo: the zorblax shipment arrives on Monday at the north gate." });
        var listed = await fixture.Plain.GetAsync($"/v1/collections/{collection}/documents");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, upload.Status);
        Assert.Equal(ErrorCodes.ContentBlocked, upload.ErrorCode);
        Assert.Contains("forbidden-topic", upload.Raw, StringComparison.Ordinal);
        Assert.Equal(0, listed.Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AnUploadsRawBytesLeaveNoTraceInRetrievalDbOnceItsJobEnded()
    {
        const string Planted = "boiler.owner@example.net";
        var collection = await fixture.Plain.CreateCollectionAsync("raw-bytes");

        var upload = await fixture.Plain.PostAsync($"/v1/collections/{collection}/documents", new { id = "note", text = $"Shift note: call {Planted} about the boiler in hall 3." });
        var job = await fixture.Plain.WaitForJobAsync(collection, upload.Json.GetProperty("id").GetString()!);
        var stored = await fixture.Plain.GetAsync($"/v1/collections/{collection}/documents/note?include_chunks=true");

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Contains("[EMAIL_1]", stored.Raw, StringComparison.Ordinal);
        // The job's payload (the upload as sent) is overwritten when dropped, and the WAL is emptied right after the
        // job's end is committed (which the job's status shows first).
        var files = new[] { fixture.RetrievalDatabase, fixture.RetrievalDatabase + "-wal" };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (files.Where(File.Exists).FirstOrDefault(f => Holds(f, Planted)) is { } holding)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{holding} still holds the upload's unscreened text 10 s after its job ended ({new FileInfo(holding).Length} bytes)");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task EmbeddingsAndSearchQueriesGetTheInputRulesBeforeTheEmbeddingModelSeesThem()
    {
        var planted = await fixture.Plain.PostAsync("/v1/embeddings", new { input = new[] { $"Mail {Email} today" } });
        var placeholder = await fixture.Plain.PostAsync("/v1/embeddings", new { input = new[] { "Mail [EMAIL_1] today" } });
        var other = await fixture.Plain.PostAsync("/v1/embeddings", new { input = new[] { "Mail the office today" } });
        var denied = await fixture.Plain.PostAsync("/v1/embeddings", new { input = new[] { "fine", "zorblax" } });
        var collection = await fixture.Plain.CreateCollectionAsync("queries");
        var deniedSearch = await fixture.Plain.PostAsync($"/v1/collections/{collection}/search", new { query = "where is the zorblax" });

        Assert.True(planted.Status == HttpStatusCode.OK, planted.ToString());
        Assert.Equal(Vector(placeholder), Vector(planted));
        Assert.NotEqual(Vector(other), Vector(planted));
        foreach (var answer in new[] { denied, deniedSearch })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(ErrorCodes.ContentBlocked, answer.ErrorCode);
        }
    }

    /// <summary>A conversation in which the assistant called a tool with <paramref name="arguments"/> and the tool answered.</summary>
    private static object ConversationWithToolCall(string arguments) => new
    {
        messages = new object[]
        {
            new { role = "user", content = "Mail the receipt." },
            new { role = "assistant", content = "", tool_calls = new[] { new { id = "call_1", type = "function", function = new { name = "send_mail", arguments } } } },
            new { role = "tool", tool_call_id = "call_1", content = "sent" },
            new { role = "user", content = "Once upon a time" },
        },
        tools = new[] { new { type = "function", function = new { name = "send_mail", parameters = new { type = "object", properties = new { to = new { type = "string" }, subject = new { type = "string" } } } } } },
        tool_choice = "none",
        max_tokens = 4,
        temperature = 0,
    };

    [Fact]
    public async Task TheAdminStatusNamesThePolicyVersionInForceAndTheTenantsWithTheirOwn()
    {
        var admin = new RetrievalClient(fixture.Server, fixture.Server.CreateKey("operators", "admin"));

        var status = await admin.GetAsync("/admin/status");

        var guardrails = status.Json.GetProperty("guardrails");
        Assert.Equal("guard-test-7", guardrails.GetProperty("policy_version").GetString());
        Assert.Equal(["strict"], guardrails.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Null, guardrails.GetProperty("candidate_version").ValueKind);
    }

    [Fact]
    public async Task DecisionsAreCountedByActionRuleAndDirection()
    {
        await fixture.Plain.PostAsync("/v1/completions", new { prompt = $"Mail {Email} now", max_tokens = 2 });
        await fixture.Plain.PostAsync("/v1/completions", new { prompt = "zorblax", max_tokens = 2 });

        var metrics = await fixture.Server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var lines = metrics.Split('\n').Where(l => l.StartsWith("edgellm_guard_decisions_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("action=\"redact\"", StringComparison.Ordinal) && l.Contains("rule=\"email\"", StringComparison.Ordinal) && l.Contains("direction=\"input\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("action=\"block\"", StringComparison.Ordinal) && l.Contains("rule=\"forbidden-topic\"", StringComparison.Ordinal) && l.Contains("direction=\"input\"", StringComparison.Ordinal));
    }

    private async Task<bool> OutboxCountsDecisionsAsync()
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(250))
        {
            if (fixture.WrittenFiles().Any(f => Holds(f, "edgellm.guard.decisions")))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return false;
    }

    private static float[] Vector(ApiAnswer answer) =>
        answer.Json.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static bool Holds(string file, string text)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Contains(text, StringComparison.Ordinal);
    }
}
