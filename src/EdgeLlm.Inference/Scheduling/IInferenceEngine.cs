using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The seam between the scheduler and the hardware: one llama context (or a fake in unit tests).
/// Only <see cref="InferenceScheduler"/> calls it, from its single dedicated thread, so implementations need no locks.
/// </summary>
internal interface IInferenceEngine : IDisposable
{
    /// <summary>Most tokens one <see cref="Decode"/> may process.</summary>
    int BatchCapacity { get; }

    /// <summary>Starts an empty sequence with its own sampler.</summary>
    IEngineSequence CreateSequence(SamplingParameters sampling);

    /// <summary>Decodes every token queued by <see cref="IEngineSequence.Prompt"/> since the last call, on the calling thread.</summary>
    EngineDecodeStatus Decode();

    /// <summary>Pooled, L2-normalised embedding of the tokens (runs on the same loop, between decode steps).</summary>
    float[] Embed(IReadOnlyList<int> tokens);
}

/// <summary>One sequence (conversation) in the engine's KV cache. Disposing it frees its KV cells.</summary>
internal interface IEngineSequence : IDisposable
{
    /// <summary>Queues tokens for the next decode; logits are kept for the last one.</summary>
    void Prompt(ReadOnlySpan<int> tokens);

    /// <summary>Samples the next token from the logits of the last decode and records it for penalties.</summary>
    int Sample();

    /// <summary>True for end-of-sequence / end-of-turn tokens.</summary>
    bool IsEndOfGeneration(int token);

    /// <summary>Text of the token, holding back incomplete UTF-8 until the next token completes it.</summary>
    string Detokenize(int token);
}

internal enum EngineDecodeStatus
{
    Ok,
    Failed,
}
