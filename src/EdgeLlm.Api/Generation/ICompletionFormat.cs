using EdgeLlm.Api.Contracts;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Generation;

/// <summary>The JSON shapes of one endpoint family (chat or text completions), whole and streamed.</summary>
internal interface ICompletionFormat
{
    /// <summary>The whole, non-streamed response; <paramref name="logprobs"/> null when none were asked for.</summary>
    string Complete(string text, IReadOnlyList<TokenLogprob>? logprobs, string finishReason, UsageDto usage);

    /// <summary>The chunk sent before any text, or null if the format has none.</summary>
    string? Opening();

    /// <summary>A chunk carrying more text (and the log-probabilities of its tokens), or null when there is nothing to send yet.</summary>
    string? Delta(string text, IReadOnlyList<TokenLogprob>? logprobs);

    /// <summary>
    /// The chunks that end the answer: what the format held back (tool calls), then the finish reason with usage,
    /// which this server always reports.
    /// </summary>
    IReadOnlyList<string> Closing(string finishReason, UsageDto usage);

    /// <summary>The OpenAI <c>stream_options.include_usage</c> chunk: no choices, only usage.</summary>
    string UsageOnly(UsageDto usage);
}
