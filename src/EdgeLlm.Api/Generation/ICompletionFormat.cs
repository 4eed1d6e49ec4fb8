using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Api.Generation;

/// <summary>The JSON shapes of one endpoint family (chat or text completions, OpenAI's or Ollama's), whole and streamed.</summary>
internal interface ICompletionFormat
{
    /// <summary>How the streamed answer is framed: server-sent events unless the format says otherwise.</summary>
    StreamFraming Framing => StreamFraming.ServerSentEvents;

    /// <summary>
    /// The scheduler's own figures of the finished answer (queue and first-token times), told just before
    /// <see cref="Complete"/> or <see cref="Closing"/>; a format that reports timings keeps them.
    /// </summary>
    void Finished(GenerationUsage usage)
    {
    }

    /// <summary>A failure after the stream started, as the stream's last message.</summary>
    string StreamError(ApiError error) => error.ToOpenAiJson();

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
