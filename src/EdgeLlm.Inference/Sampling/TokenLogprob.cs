namespace EdgeLlm.Inference.Sampling;

/// <summary>
/// The log-probability of a generated token and of the most likely alternatives, from the logits the sampler saw
/// after the grammar (a token the grammar forbids has none), before temperature, top-k/p and penalties.
/// </summary>
/// <param name="Token">The token's text (invalid UTF-8 replaced; <paramref name="Bytes"/> has the exact bytes).</param>
/// <param name="Bytes">The token's UTF-8 bytes.</param>
/// <param name="Logprob">Natural log of its probability.</param>
/// <param name="TopLogprobs">The most likely tokens at this position, best first; empty when none were asked for.</param>
public sealed record TokenLogprob(string Token, byte[] Bytes, float Logprob, IReadOnlyList<TopLogprob> TopLogprobs)
{
    /// <summary>Most alternatives a request may ask for per token (OpenAI's bound).</summary>
    public const int MaxAlternatives = 20;
}

/// <summary>One alternative at a position.</summary>
public sealed record TopLogprob(string Token, byte[] Bytes, float Logprob);
