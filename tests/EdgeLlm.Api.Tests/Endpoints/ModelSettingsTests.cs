using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference.Models;
using EdgeLlm.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// Two real models configured as an operator would, each with its own context, sequences and queue over the global
/// ones (512 tokens, 8 sequences, 8 waiting), and an alias: the random-weights Llama-2 (it never stops by itself, so a
/// long request holds its one sequence) and stories260K.
/// </summary>
public sealed class ModelSettingsTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, new Dictionary<string, string>
        {
            ["Inference:Models:0:Name"] = "tiny-random",
            ["Inference:Models:0:ContextSize"] = "8192",
            ["Inference:Models:0:MaxSequences"] = "1",
            ["Inference:Models:0:QueueCapacity"] = "0",
            ["Inference:Models:1:Name"] = "stories",
            ["Inference:Models:1:Path"] = TestModels.Stories260K,
            ["Inference:Models:1:Aliases:0"] = "storyteller",
            ["Inference:Models:1:ContextSize"] = "128",
            ["Inference:Models:1:MaxSequences"] = "4",
            ["Inference:Models:1:QueueCapacity"] = "2",
            ["Inference:Models:1:FallbackChatTemplate"] = "plain",
            ["Api:RateLimitPerSecond"] = "0",
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EachModelHoldsRequestsToItsOwnContext()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("hello", 600));
        var registry = _server.Services.GetRequiredService<ModelRegistry>();
        Assert.InRange(registry.Find("tiny-random")!.Tokenizer.Tokenize(prompt, false).Length, 520, 8000);
        Assert.True(registry.Find("stories")!.Tokenizer.Tokenize(prompt, false).Length > 140);

        using var large = await _server.PostJsonAsync("/v1/completions", Body("tiny-random", prompt, 4));
        using var small = await _server.PostJsonAsync("/v1/completions", Body("stories", prompt, 4));
        var answered = await InferenceTestServer.JsonAsync(large);
        var refused = await InferenceTestServer.JsonAsync(small);

        // Above the global 512 tokens: only the model's own 8192 lets it through.
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.True(answered.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 512, answered.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        Assert.Equal(ErrorCodes.ContextLengthExceeded, refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("this model's context is 128 tokens", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAliasReachesItsModelAndTheAnswerNamesTheModel()
    {
        using var completion = await _server.PostJsonAsync("/v1/completions", Body("storyteller", "Once upon a time", 4));
        using var chat = await _server.PostJsonAsync("/v1/chat/completions", """{"model":"storyteller","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":4}""");
        using var unknown = await _server.PostJsonAsync("/v1/completions", Body("storytellers", "Once upon a time", 4));
        var model = await InferenceTestServer.JsonAsync(await _server.Client.GetAsync(new Uri("/v1/models/storyteller", UriKind.Relative)));
        var list = await InferenceTestServer.JsonAsync(await _server.Client.GetAsync(new Uri("/v1/models", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.Equal("stories", (await InferenceTestServer.JsonAsync(completion)).GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal("stories", (await InferenceTestServer.JsonAsync(chat)).GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("stories", model.GetProperty("id").GetString());
        Assert.Equal(["tiny-random", "stories"], list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task EachModelAdmitsUpToItsOwnSequencesAndQueue()
    {
        using var holder = await _server.PostJsonAsync("/v1/completions", """{"model":"tiny-random","prompt":"Hello there","max_tokens":8000,"temperature":0,"stream":true}""");
        Assert.Equal(HttpStatusCode.OK, holder.StatusCode);
        await SseReader.ReadFirstEventAsync(holder);

        // The global settings would let this one wait (8 places); the model's own have one sequence and no queue.
        using var refused = await _server.PostJsonAsync("/v1/completions", Body("tiny-random", "Hi", 4));
        using var other = await _server.PostJsonAsync("/v1/completions", Body("stories", "Once upon a time", 4));
        var status = await AdminStatusAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(ErrorCodes.QueueFull, (await InferenceTestServer.JsonAsync(refused)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var models = status.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(2, models.Count);
        Assert.Equal(("tiny-random", 8192, 1, 0, 1), Served(models[0]));
        Assert.Equal(("stories", 128, 4, 2, 0), Served(models[1]));
        Assert.Empty(models[0].GetProperty("aliases").EnumerateArray());
        Assert.Equal(["storyteller"], models[1].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("plain", _server.Services.GetRequiredService<ModelRegistry>().Find("stories")!.Chat.TemplateName);
    }

    private static (string?, int, int, int, int) Served(JsonElement model) => (
        model.GetProperty("name").GetString(),
        model.GetProperty("context_size").GetInt32(),
        model.GetProperty("max_sequences").GetInt32(),
        model.GetProperty("queue_capacity").GetInt32(),
        model.GetProperty("active_sequences").GetInt32());

    private async Task<JsonElement> AdminStatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.CreateKey("operators", ApiScopes.Admin));
        using var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await InferenceTestServer.JsonAsync(response);
    }

    private static string Body(string model, string prompt, int maxTokens) =>
        JsonSerializer.Serialize(new { model, prompt, max_tokens = maxTokens });
}
