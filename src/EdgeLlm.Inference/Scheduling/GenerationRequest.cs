using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>A tokenized prompt and how to continue it. Built and checked before it reaches the scheduler.</summary>
/// <param name="PromptTokens">The prompt, already tokenized (with BOS where the model wants one).</param>
/// <param name="Sampling">Validated sampling parameters.</param>
/// <param name="MaxTokens">Completion tokens at most, already clamped to the context left.</param>
/// <param name="Stop">Stop sequences; the text stops before the first one that appears.</param>
public sealed record GenerationRequest(
    IReadOnlyList<int> PromptTokens,
    SamplingParameters Sampling,
    int MaxTokens,
    IReadOnlyList<string> Stop)
{
    /// <summary>
    /// Whose share of the model the request uses (fair queuing and per-key limits). Default null: the daemon's own
    /// request (a health check, a probe), bound only by the shared limits and never counted as another user.
    /// </summary>
    public RequestOwner? Owner { get; init; }

    /// <summary>
    /// Cancel the generation (<see cref="FinishReason.ClientStalled"/>) when text it produced has not been taken from its
    /// stream for this long; null never does (a reader inside the process always takes it).
    /// </summary>
    public TimeSpan? StalledReaderTimeout { get; init; }

    /// <summary>A grammar the output must follow (structured output, tool calls); null: free text.</summary>
    public OutputConstraint? Constraint { get; init; }

    /// <summary>
    /// Log-probabilities to report with each token: null none, 0 the chosen token's, 1-20 that many alternatives too.
    /// </summary>
    public int? TopLogprobs { get; init; }
}

/// <summary>The API key and tenant a request acts for; requests without a key (authentication disabled) share one owner.</summary>
/// <param name="Tenant">The key's tenant; a tenant's keys share its bounds too.</param>
/// <param name="Key">The API key's id.</param>
public sealed record RequestOwner(string Tenant, string Key)
{
    /// <summary>The owner of requests made without a key (authentication disabled).</summary>
    public static RequestOwner Anonymous { get; } = new("anonymous", "anonymous");
}

/// <summary>Why a generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model ended its turn or a stop sequence appeared.</summary>
    Stop,

    /// <summary><c>max_tokens</c> or the context was reached.</summary>
    Length,

    /// <summary>The client went away or cancelled.</summary>
    Cancelled,

    /// <summary>The request ran past its wall-clock limit.</summary>
    Timeout,

    /// <summary>The engine failed to decode; the sequence was dropped.</summary>
    Error,

    /// <summary>The daemon stopped and the generation outlasted <c>Daemon:ShutdownTimeout</c>.</summary>
    Shutdown,
    /// <summary>The client did not take the text already produced for the stalled-reader timeout; its sequence was freed.</summary>
    ClientStalled,

    /// <summary>The guardrail policy's output screen ended the answer (<c>content_filter</c>); set by the API, never by the scheduler.</summary>
    ContentFilter,
}

/// <summary>Something a running generation produced.</summary>
public abstract record GenerationEvent;

/// <summary>More text of the completion, with the log-probabilities of the tokens it completes when they were asked for.</summary>
public sealed record TextDelta(string Text, IReadOnlyList<TokenLogprob>? Logprobs = null) : GenerationEvent;

/// <summary>The generation is over. Always the last event.</summary>
public sealed record GenerationFinished(FinishReason Reason, GenerationUsage Usage) : GenerationEvent;

/// <summary>Token counts and timings of one generation.</summary>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="QueueTime">Time spent waiting for a free sequence.</param>
/// <param name="TimeToFirstToken">From submission to the first sampled token; null if none was sampled.</param>
public sealed record GenerationUsage(int PromptTokens, int CompletionTokens, TimeSpan QueueTime, TimeSpan? TimeToFirstToken)
{
    /// <summary>Prompt tokens started from a kept prefix's cells instead of being decoded (OpenAI's <c>cached_tokens</c>).</summary>
    public int CachedPromptTokens { get; init; }
}
