using EdgeLlm.Inference.Gguf;

namespace EdgeLlm.Benchmarks.SyntheticModels;

/// <summary>
/// The dimensions of a llama-architecture model with random weights. The vocabulary is not part
/// of the shape: it comes with the tokenizer the writer copies (32,000 tokens for Llama 2).
/// </summary>
/// <param name="EmbeddingLength">Width of the residual stream (n_embd).</param>
/// <param name="BlockCount">Number of transformer blocks (n_layer).</param>
/// <param name="HeadCount">Attention heads (n_head).</param>
/// <param name="KvHeadCount">Key/value heads for grouped-query attention (n_head_kv).</param>
/// <param name="FeedForwardLength">Width of the SwiGLU feed-forward layer (n_ff).</param>
/// <param name="ContextLength">Trained context length written to the metadata.</param>
/// <param name="WeightType">Type of the matrices: <see cref="GgmlType.Q4_0"/> or <see cref="GgmlType.Q8_0"/>.</param>
internal sealed record SyntheticLlamaShape(
    int EmbeddingLength,
    int BlockCount,
    int HeadCount,
    int KvHeadCount,
    int FeedForwardLength,
    int ContextLength,
    GgmlType WeightType)
{
    /// <summary>TinyLlama 1.1B's shape: about 1.1 billion parameters, ~620 MB as Q4_0.</summary>
    public static SyntheticLlamaShape TinyLlama1B { get; } = new(2048, 22, 32, 4, 5632, 2048, GgmlType.Q4_0);

    /// <summary>The GPU benchmark's ~1.1B llama in Q8_0 (~1.2 GB): the shape of the H100 anchor figures in issue 3.</summary>
    public static SyntheticLlamaShape Llama1BQ8 { get; } = new(2048, 16, 32, 8, 8192, 2048, GgmlType.Q8_0);

    /// <summary>A few-MB model (mostly the 32K-token embedding) that loads and decodes in milliseconds.</summary>
    public static SyntheticLlamaShape Tiny { get; } = new(64, 2, 4, 2, 128, 256, GgmlType.Q4_0);

    public int HeadDimension => EmbeddingLength / HeadCount;

    public int KvDimension => HeadDimension * KvHeadCount;

    /// <summary>The number of weights with a vocabulary of <paramref name="vocabularySize"/> tokens.</summary>
    public long ParameterCount(long vocabularySize)
    {
        long embd = EmbeddingLength;
        var perBlock = (2 * embd) + (2 * embd * embd) + (2 * embd * KvDimension) + (3 * embd * FeedForwardLength);
        return (2 * vocabularySize * embd) + embd + (BlockCount * perBlock);
    }

    /// <summary>Throws unless llama.cpp can build this shape from whole quantisation blocks.</summary>
    public void EnsureValid()
    {
        if (WeightType is not (GgmlType.Q4_0 or GgmlType.Q8_0))
        {
            throw new ArgumentException($"Weight type {WeightType} is not supported; use Q4_0 or Q8_0.");
        }

        var block = GgmlTypes.Get(WeightType).BlockSize;
        if (EmbeddingLength <= 0 || BlockCount <= 0 || HeadCount <= 0 || KvHeadCount <= 0 || FeedForwardLength <= 0 || ContextLength <= 0
            || EmbeddingLength % HeadCount != 0 || HeadCount % KvHeadCount != 0 || HeadDimension % 2 != 0
            || EmbeddingLength % block != 0 || FeedForwardLength % block != 0)
        {
            throw new ArgumentException(
                $"Shape {this} is not buildable: dimensions must be positive, heads must divide the embedding and be a multiple of the KV heads, "
                + $"the head size must be even, and the embedding and feed-forward widths must be multiples of {block}.");
        }
    }
}
