using System.Text.Json;
using EdgeLlm.Api.Contracts;

namespace EdgeLlm.Api.Generation;

/// <summary>Chat completion JSON; with retrieval, the citations ride on the whole response or on the first streamed chunk.</summary>
internal sealed class ChatCompletionFormat(string model, long created, IReadOnlyList<CitationDto>? citations = null) : ICompletionFormat
{
    private readonly string _id = "chatcmpl-" + Guid.NewGuid().ToString("N");

    public string Complete(string text, string finishReason, UsageDto usage) =>
        JsonSerializer.Serialize(
            new ChatCompletionResponse(_id, "chat.completion", created, model, [new ChatChoice(0, new AssistantMessage("assistant", text), finishReason)], usage, citations),
            ApiJsonContext.Default.ChatCompletionResponse);

    public string? Opening() =>
        JsonSerializer.Serialize(
            new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [new ChatChunkChoice(0, new ChatDelta("assistant", ""), null)], null, citations),
            ApiJsonContext.Default.ChatCompletionChunk);

    public string Delta(string text) => Chunk(new ChatDelta(null, text), null, null);

    public string Closing(string finishReason, UsageDto usage) => Chunk(new ChatDelta(null, null), finishReason, usage);

    public string UsageOnly(UsageDto usage) =>
        JsonSerializer.Serialize(new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [], usage), ApiJsonContext.Default.ChatCompletionChunk);

    private string Chunk(ChatDelta delta, string? finishReason, UsageDto? usage) =>
        JsonSerializer.Serialize(
            new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [new ChatChunkChoice(0, delta, finishReason)], usage),
            ApiJsonContext.Default.ChatCompletionChunk);
}
