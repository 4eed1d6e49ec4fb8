namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The seam between the scheduler and the hardware: one llama context (or a fake in unit tests).
/// Only <see cref="InferenceScheduler"/> calls it, from its single dedicated thread, so implementations need no locks.
/// </summary>
internal interface IInferenceEngine : IDisposable
{
    /// <summary>Most tokens one <see cref="Decode"/> may process.</summary>
    int BatchCapacity { get; }

    /// <summary>Starts an empty sequence with its own sampler: the request's sampling, grammar and log-probabilities.</summary>
    IEngineSequence CreateSequence(GenerationRequest request);

    /// <summary>Decodes every token queued by <see cref="IEngineSequence.Prompt"/> since the last call, on the calling thread.</summary>
    EngineDecodeStatus Decode();

    /// <summary>What the engine's kept prompt prefixes have done; never written for an engine that keeps none.</summary>
    PrefixReuse.PrefixCacheCounters PrefixCache => PrefixReuse.PrefixCacheCounters.None;

    /// <summary>True when finished sequences' cells are kept for later prompts.</summary>
    bool KeepsPrefixes => false;

    /// <summary>Why the model's memory rules out prefix reuse and speculation although they were configured; null otherwise.</summary>
    string? ReuseUnavailable => null;

    /// <summary>Pooled, L2-normalised embedding of the tokens (runs on the same loop, between decode steps).</summary>
    float[] Embed(IReadOnlyList<int> tokens);
}

/// <summary>One sequence (conversation) in the engine's KV cache. Disposing it frees its KV cells.</summary>
internal interface IEngineSequence : IDisposable
{
    /// <summary>Tokens at the start of the request's prompt already in this sequence's cells (a kept prefix); they are not fed again.</summary>
    int ReusedPromptTokens => 0;

    /// <summary>
    /// Ends the sequence: its cells are kept for later prompts that begin with what it decoded when
    /// <paramref name="keepForReuse"/> (and the engine keeps prefixes), otherwise freed.
    /// </summary>
    void End(bool keepForReuse) => Dispose();

    /// <summary>Queues tokens for the next decode; logits are kept for the last one.</summary>
    void Prompt(ReadOnlySpan<int> tokens);

    /// <summary>
    /// Queues <paramref name="token"/> and the <paramref name="drafts"/> after it for the next decode, with logits at
    /// every one of them: the next <see cref="Sample"/> calls read them in order.
    /// </summary>
    void Propose(int token, ReadOnlySpan<int> drafts);

    /// <summary>Removes the cells of the last <paramref name="count"/> tokens decoded (rejected drafts).</summary>
    void Rollback(int count);

    /// <summary>
    /// Samples the next token from the logits of the last decode (after <see cref="Propose"/>, from the next of its
    /// positions), within the grammar when one binds, and records it for penalties and the grammar; with its
    /// log-probabilities when the request asked for them.
    /// </summary>
    SampledToken Sample();

    /// <summary>True for end-of-sequence / end-of-turn tokens.</summary>
    bool IsEndOfGeneration(int token);

    /// <summary>
    /// Text of the token, holding back incomplete UTF-8 until the next token completes it. When the text completes
    /// the trigger of a lazy grammar, the grammar binds from the next token and the text ends with the trigger.
    /// </summary>
    string Detokenize(int token);

    /// <summary>The token's own bytes (for log-probabilities), special tokens rendered.</summary>
    byte[] TokenBytes(int token);
}

/// <summary>
/// A sampled token and, when asked for, its log-probability and the best alternatives (token, logprob). Token -1:
/// the grammar allows no token (a grammar that cannot be completed); the request ends with an error.
/// </summary>
internal readonly record struct SampledToken(int Token, float? Logprob = null, (int Token, float Logprob)[]? Top = null);

internal enum EngineDecodeStatus
{
    Ok,
    Failed,
}
