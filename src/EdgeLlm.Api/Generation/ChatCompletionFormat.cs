using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Chat completion JSON; with retrieval, the citations ride on the whole response or on the first streamed chunk.
/// With tools, <see cref="ToolCallAnswer"/> decides what of the text is content and what is a call: calls end the
/// answer as <c>message.tool_calls</c> (or <c>delta.tool_calls</c> chunks) with <c>finish_reason: "tool_calls"</c>.
/// </summary>
internal sealed class ChatCompletionFormat(string model, long created, IReadOnlyList<CitationDto>? citations = null, ToolCallAnswer? tools = null)
    : ICompletionFormat
{
    private readonly string _id = "chatcmpl-" + Guid.NewGuid().ToString("N");

    public string Complete(string text, IReadOnlyList<TokenLogprob>? logprobs, string finishReason, UsageDto usage)
    {
        var (content, calls) = tools is null ? (text, []) : tools.Finish(text, finishReason);
        var message = new AssistantMessage("assistant", content, calls.Count > 0 ? calls : null);
        return JsonSerializer.Serialize(
            new ChatCompletionResponse(_id, "chat.completion", created, model, [new ChatChoice(0, message, Reason(finishReason, calls.Count), LogprobsFields.ToChat(logprobs))], usage, citations),
            ApiJsonContext.Default.ChatCompletionResponse);
    }

    public string? Opening() =>
        JsonSerializer.Serialize(
            new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [new ChatChunkChoice(0, new ChatDelta("assistant", ""), null)], null, citations),
            ApiJsonContext.Default.ChatCompletionChunk);

    public string? Delta(string text, IReadOnlyList<TokenLogprob>? logprobs)
    {
        var content = tools is null ? text : tools.Stream(text);
        return content.Length == 0 && logprobs is null ? null : Chunk(new ChatDelta(null, content), null, null, LogprobsFields.ToChat(logprobs));
    }

    public IReadOnlyList<string> Closing(string finishReason, UsageDto usage)
    {
        if (tools is null)
        {
            return [Chunk(new ChatDelta(null, null), finishReason, usage, null)];
        }

        var (held, calls) = tools.FinishStream(finishReason);
        var chunks = new List<string>();
        if (held.Length > 0)
        {
            chunks.Add(Chunk(new ChatDelta(null, held), null, null, null));
        }

        for (var i = 0; i < calls.Count; i++)
        {
            // The OpenAI shape: the call's id, type and name first, then its arguments.
            chunks.Add(Chunk(new ChatDelta(null, null, [new ToolCallDeltaDto(i, calls[i].Id, "function", new FunctionCallDeltaDto(calls[i].Function.Name, ""))]), null, null, null));
            chunks.Add(Chunk(new ChatDelta(null, null, [new ToolCallDeltaDto(i, null, null, new FunctionCallDeltaDto(null, calls[i].Function.Arguments))]), null, null, null));
        }

        chunks.Add(Chunk(new ChatDelta(null, null), Reason(finishReason, calls.Count), usage, null));
        return chunks;
    }

    public string UsageOnly(UsageDto usage) =>
        JsonSerializer.Serialize(new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [], usage), ApiJsonContext.Default.ChatCompletionChunk);

    private static string Reason(string finishReason, int calls) => calls > 0 ? "tool_calls" : finishReason;

    private string Chunk(ChatDelta delta, string? finishReason, UsageDto? usage, ChatLogprobsDto? logprobs) =>
        JsonSerializer.Serialize(
            new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [new ChatChunkChoice(0, delta, finishReason, logprobs)], usage),
            ApiJsonContext.Default.ChatCompletionChunk);
}
