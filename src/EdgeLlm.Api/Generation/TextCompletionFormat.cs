using System.Text.Json;
using EdgeLlm.Api.Contracts;

namespace EdgeLlm.Api.Generation;

internal sealed class TextCompletionFormat(string model, long created) : ICompletionFormat
{
    private readonly string _id = "cmpl-" + Guid.NewGuid().ToString("N");

    public string Complete(string text, string finishReason, UsageDto usage) => Chunk(text, finishReason, usage);

    public string? Opening() => null;

    public string Delta(string text) => Chunk(text, null, null);

    public string Closing(string finishReason, UsageDto usage) => Chunk("", finishReason, usage);

    public string UsageOnly(UsageDto usage) =>
        JsonSerializer.Serialize(new CompletionResponse(_id, "text_completion", created, model, [], usage), ApiJsonContext.Default.CompletionResponse);

    private string Chunk(string text, string? finishReason, UsageDto? usage) =>
        JsonSerializer.Serialize(
            new CompletionResponse(_id, "text_completion", created, model, [new CompletionChoice(text, 0, null, finishReason)], usage),
            ApiJsonContext.Default.CompletionResponse);
}
