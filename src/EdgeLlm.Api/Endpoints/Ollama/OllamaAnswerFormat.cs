using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// An answer in Ollama's shape: newline-delimited JSON when streamed, an object per piece of text and a final one with
/// <c>done: true</c>, the reason and the counts; the whole answer as that final object carrying all the text. A failure
/// after the stream started ends it with Ollama's <c>{"error": …}</c> line.
/// </summary>
internal abstract class OllamaAnswerFormat(string model, OllamaTimings timings) : ICompletionFormat
{
    public StreamFraming Framing => StreamFraming.NewlineDelimitedJson;

    protected string Model => model;

    protected OllamaTimings Timings => timings;

    public void Finished(GenerationUsage usage) => timings.Finished(usage);

    public string StreamError(ApiError error) => error.ToOllamaJson();

    public string Complete(string text, IReadOnlyList<TokenLogprob>? logprobs, string finishReason, UsageDto usage) => Final(text, finishReason, usage);

    public string? Opening() => null;

    public string? Delta(string text, IReadOnlyList<TokenLogprob>? logprobs) => text.Length == 0 ? null : Piece(text);

    public IReadOnlyList<string> Closing(string finishReason, UsageDto usage) => [Final("", finishReason, usage)];

    public string UsageOnly(UsageDto usage) => throw new NotSupportedException("Ollama's final object carries the counts; there is no usage-only message.");

    /// <summary>The answer to Ollama's preload or unload call: done, no text, <paramref name="doneReason"/> and the durations.</summary>
    public abstract ContentHttpResult Preloaded(string doneReason);

    /// <summary>A streamed object carrying <paramref name="text"/>, not done.</summary>
    protected abstract string Piece(string text);

    /// <summary>The final object: <paramref name="text"/> (all of it when not streamed), the reason and the counts.</summary>
    protected abstract string Final(string text, string doneReason, UsageDto usage);
}
