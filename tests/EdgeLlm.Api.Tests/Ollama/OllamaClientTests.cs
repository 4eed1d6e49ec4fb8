using System.Net;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using OllamaSharp.Models.Exceptions;

namespace EdgeLlm.Api.Tests.Ollama;

/// <summary>The Ollama API as a real Ollama client library (OllamaSharp) uses it, against the daemon's composition and stories260K.</summary>
public sealed class OllamaClientTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private const string Prompt = "Once upon a time, there was a little dog";

    [Fact]
    public async Task TheClientListsShowsAndSeesTheServedModelRunning()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);

        var models = (await ollama.ListLocalModelsAsync()).ToList();
        var shown = await ollama.ShowModelAsync(new ShowModelRequest { Model = OllamaClients.Model });
        var running = (await ollama.ListRunningModelsAsync()).ToList();
        var version = await ollama.GetVersionAsync();

        var model = Assert.Single(models);
        Assert.Equal(OllamaClients.Model, model.Name);
        Assert.Equal(new FileInfo(TestModels.Stories260K).Length, model.Size);
        Assert.Matches("^[0-9a-f]{64}$", model.Digest);
        Assert.Equal("gguf", model.Details.Format);
        Assert.Equal("llama", model.Details.Family);
        Assert.Contains("completion", shown.Capabilities!);
        Assert.Equal("llama", shown.Info.Architecture);
        Assert.Contains("num_ctx 512", shown.Parameters);
        var loaded = Assert.Single(running);
        Assert.Equal(OllamaClients.Model, loaded.Name);
        Assert.True(loaded.ExpiresAt > DateTime.UtcNow.AddYears(100), "A pinned model never expires.");
        Assert.False(string.IsNullOrEmpty(version));
    }

    [Fact]
    public async Task AStreamedChatSaysWhatTheWholeAnswerSaysWithTheSameCounts()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);

        var (streamedText, streamedDone, pieces) = await ChatAsync(ollama, stream: true);
        var (wholeText, wholeDone, _) = await ChatAsync(ollama, stream: false);

        Assert.True(pieces > 3, $"Only {pieces} objects were streamed.");
        Assert.False(string.IsNullOrWhiteSpace(wholeText));
        Assert.Equal(wholeText, streamedText);
        Assert.Equal(wholeDone.EvalCount, streamedDone.EvalCount);
        Assert.Equal(wholeDone.PromptEvalCount, streamedDone.PromptEvalCount);
        Assert.Equal(24, wholeDone.EvalCount);
        Assert.Equal("length", wholeDone.DoneReason);
        Assert.True(wholeDone.PromptEvalCount > 5);
        Assert.True(wholeDone.TotalDuration > 0 && wholeDone.EvalDuration > 0);
        Assert.True(wholeDone.TotalDuration >= wholeDone.EvalDuration + wholeDone.LoadDuration);
    }

    [Fact]
    public async Task TheClientAsAMicrosoftExtensionsAiChatClientGetsTheSameAnswer()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);
        Microsoft.Extensions.AI.IChatClient chat = ollama;

        var response = await chat.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, Prompt)], new Microsoft.Extensions.AI.ChatOptions { ModelId = OllamaClients.Model, Temperature = 0, MaxOutputTokens = 24 });
        var (expected, _, _) = await ChatAsync(ollama, stream: false);

        Assert.Equal(expected, response.Text);
        Assert.Equal(24, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task AStreamedGenerateSaysWhatTheWholeAnswerSaysAndMatchesTheOpenAiUsage()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);

        var (streamedText, streamedDone) = await GenerateAsync(ollama, stream: true, raw: true);
        var (wholeText, wholeDone) = await GenerateAsync(ollama, stream: false, raw: true);
        using var openAi = await fixture.Server.PostJsonAsync("/v1/completions", JsonSerializer.Serialize(new { prompt = Prompt, max_tokens = 24, temperature = 0 }));
        var completion = await InferenceTestServer.JsonAsync(openAi);

        Assert.Equal(wholeText, streamedText);
        Assert.Equal(completion.GetProperty("choices")[0].GetProperty("text").GetString(), wholeText);
        Assert.Equal(completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), wholeDone.EvalCount);
        Assert.Equal(completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), wholeDone.PromptEvalCount);
        Assert.Equal(wholeDone.EvalCount, streamedDone.EvalCount);
    }

    [Fact]
    public async Task NumPredictLimitsTheAnswerAndStopEndsIt()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);
        var (free, _) = await GenerateAsync(ollama, stream: false, raw: true);
        var stop = free.Trim().Split(' ')[2];

        var (_, limited) = await GenerateAsync(ollama, stream: false, raw: true, new RequestOptions { Temperature = 0, NumPredict = 5 });
        var (stopped, stoppedDone) = await GenerateAsync(ollama, stream: false, raw: true, new RequestOptions { Temperature = 0, NumPredict = 24, Stop = [stop] });

        Assert.Equal(5, limited.EvalCount);
        Assert.Equal("length", limited.DoneReason);
        Assert.Equal("stop", stoppedDone.DoneReason);
        Assert.DoesNotContain(stop, stopped);
        Assert.StartsWith(stopped, free);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameSampledAnswer()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);
        RequestOptions Seeded(int seed) => new() { Temperature = 1.5f, TopK = 0, NumPredict = 32, Seed = seed };

        var (first, _) = await GenerateAsync(ollama, stream: false, raw: true, Seeded(7));
        var (again, _) = await GenerateAsync(ollama, stream: true, raw: true, Seeded(7));
        var others = new HashSet<string>();
        foreach (var seed in (int[])[8, 9, 10])
        {
            others.Add((await GenerateAsync(ollama, stream: false, raw: true, Seeded(seed))).Text);
        }

        Assert.Equal(first, again);
        Assert.Contains(others, o => o != first);
    }

    /// <summary>
    /// stories260K never closes a free-form object within its context, so the answer is read as far as it goes: every
    /// byte of it is JSON (a story's prose would not be), an object from its first.
    /// </summary>
    [Fact]
    public async Task FormatJsonKeepsTheAnswerToAJsonObject()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);

        var (text, done) = await GenerateAsync(ollama, stream: false, raw: false, new RequestOptions { Temperature = 0, NumPredict = 60 }, format: "json");

        Assert.Equal(60, done.EvalCount);
        Assert.StartsWith("{", text, StringComparison.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), isFinalBlock: false, state: default);
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.StartObject, reader.TokenType);
        while (reader.Read())
        {
            // Throws at the first byte that is not JSON.
        }
    }

    [Fact]
    public async Task AFormatSchemaShapesTheStreamedAnswer()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);
        using var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":30},"kind":{"enum":["dog","cat"]}},
             "required":["name","age","kind"],"additionalProperties":false}
            """);

        var (text, done) = await GenerateAsync(ollama, stream: true, raw: false, new RequestOptions { Temperature = 0, NumPredict = 120 }, format: schema.RootElement);

        Assert.Equal("stop", done.DoneReason);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal(["name", "age", "kind"], answer.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Contains(answer.RootElement.GetProperty("kind").GetString(), new[] { "dog", "cat" });
    }

    [Fact]
    public async Task EmbedGivesTheVectorsOfV1Embeddings()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);
        string[] inputs = ["The dog ran.", "The cat slept."];

        var embedded = await ollama.EmbedAsync(new EmbedRequest { Model = OllamaClients.Model, Input = [.. inputs] });
        using var openAi = await fixture.Server.PostJsonAsync("/v1/embeddings", JsonSerializer.Serialize(new { input = inputs }));
        var data = (await InferenceTestServer.JsonAsync(openAi)).GetProperty("data");

        Assert.Equal(2, embedded.Embeddings.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(data[i].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()), embedded.Embeddings[i]);
        }

        Assert.True(embedded.PromptEvalCount > 4);
    }

    [Fact]
    public async Task TheClientReadsOurRefusals()
    {
        using var ollama = OllamaClients.For(fixture.Server, fixture.Server.InferenceKey);
        using var anonymous = OllamaClients.For(fixture.Server, key: null);

        var badOption = await Assert.ThrowsAsync<OllamaException>(() => GenerateAsync(ollama, stream: false, raw: true, new RequestOptions { Temperature = 5 }));
        var unknownModel = await Assert.ThrowsAsync<HttpRequestException>(() => ChatAsync(ollama, stream: true, model: "stories260K:7b"));
        var noKey = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.ListLocalModelsAsync());
        var pull = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in ollama.PullModelAsync(new PullModelRequest { Model = "llama3:latest" }))
            {
            }
        });
        var delete = await Assert.ThrowsAsync<HttpRequestException>(() => ollama.DeleteModelAsync(new DeleteModelRequest { Model = OllamaClients.Model }));
        var unload = await Assert.ThrowsAsync<OllamaException>(() => ollama.RequestModelUnloadAsync(OllamaClients.Model));

        Assert.Contains("temperature must be a number between 0 and 2", badOption.Message);
        Assert.Equal(HttpStatusCode.NotFound, unknownModel.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, pull.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, delete.StatusCode);
        Assert.Contains("a pinned model stays loaded", unload.Message);
        Assert.Single(await ollama.ListRunningModelsAsync());
    }

    private static async Task<(string Text, ChatDoneResponseStream Done, int Pieces)> ChatAsync(OllamaApiClient ollama, bool stream, string model = OllamaClients.Model)
    {
        var request = new ChatRequest
        {
            Model = model,
            Messages = [new Message(ChatRole.User, Prompt)],
            Stream = stream,
            Options = new RequestOptions { Temperature = 0, NumPredict = 24 },
        };
        var text = new StringBuilder();
        ChatDoneResponseStream? done = null;
        var pieces = 0;
        await foreach (var chunk in ollama.ChatAsync(request))
        {
            pieces++;
            text.Append(chunk!.Message.Content);
            done = chunk as ChatDoneResponseStream ?? done;
        }

        return (text.ToString(), done!, pieces);
    }

    private static async Task<(string Text, GenerateDoneResponseStream Done)> GenerateAsync(
        OllamaApiClient ollama, bool stream, bool raw, RequestOptions? options = null, object? format = null)
    {
        var request = new GenerateRequest { Prompt = Prompt, Raw = raw, Stream = stream, Options = options ?? new RequestOptions { Temperature = 0, NumPredict = 24 }, Format = format };
        var text = new StringBuilder();
        GenerateDoneResponseStream? done = null;
        await foreach (var chunk in ollama.GenerateAsync(request))
        {
            text.Append(chunk!.Response);
            done = chunk as GenerateDoneResponseStream ?? done;
        }

        Assert.NotNull(done);
        return (text.ToString(), done);
    }
}
