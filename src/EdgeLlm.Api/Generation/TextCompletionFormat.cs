using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Generation;

internal sealed class TextCompletionFormat(string model, long created) : ICompletionFormat
{
    private readonly string _id = "cmpl-" + Guid.NewGuid().ToString("N");

    private int _streamed;

    public string Complete(string text, IReadOnlyList<TokenLogprob>? logprobs, string finishReason, UsageDto usage) =>
        Chunk(text, LogprobsFields.ToCompletion(logprobs, 0), finishReason, usage);

    public string? Opening() => null;

    public string? Delta(string text, IReadOnlyList<TokenLogprob>? logprobs)
    {
        var chunk = Chunk(text, LogprobsFields.ToCompletion(logprobs, _streamed), null, null);
        _streamed += text.Length;
        return chunk;
    }

    public IReadOnlyList<string> Closing(string finishReason, UsageDto usage) => [Chunk("", null, finishReason, usage)];

    public string UsageOnly(UsageDto usage) =>
        JsonSerializer.Serialize(new CompletionResponse(_id, "text_completion", created, model, [], usage), ApiJsonContext.Default.CompletionResponse);

    private string Chunk(string text, CompletionLogprobsDto? logprobs, string? finishReason, UsageDto? usage) =>
        JsonSerializer.Serialize(
            new CompletionResponse(_id, "text_completion", created, model, [new CompletionChoice(text, 0, logprobs, finishReason)], usage),
            ApiJsonContext.Default.CompletionResponse);
}
