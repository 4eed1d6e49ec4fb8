using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Tests.Models;

/// <summary>What an embedding model is estimated to take: no logits, one text at a time, and no cache at all for an encoder.</summary>
public sealed class EmbeddingFootprintTests
{
    private const long Weights = 90_000_000;

    [Fact]
    public void ABertKeepsNoCacheAndComputesAWholeTextWithoutLogits()
    {
        // bge-small's shape: 12 layers, 384 wide, 12 heads, feed-forward 1536, 30,522 tokens.
        var footprint = ModelFootprint.Estimate(Bert(), "bert", Weights, Embedding(contextSize: 512, sequences: 8), batchSize: 2048);

        Assert.Equal(0, footprint.KvCacheBytes);
        Assert.Equal(4L * 512 * (384 + (2 * 1536)), footprint.ComputeBytes);
        Assert.Equal(Weights + footprint.ComputeBytes, footprint.TotalBytes);
    }

    [Fact]
    public void ADecoderServedForEmbeddingsCachesOneTextNotEverySequence()
    {
        var chat = ModelFootprint.Estimate(Llama(), "llama", Weights, new EffectiveModelSettings(1024, 4, 8, 0, 1, "chatml"), 512);
        var embedding = ModelFootprint.Estimate(Llama(), "llama", Weights, Embedding(contextSize: 1024, sequences: 4), 512);

        Assert.Equal(chat.KvCacheBytes / 4, embedding.KvCacheBytes);
        Assert.Equal(4L * 1024 * (2048 + (2 * 5632)), embedding.ComputeBytes);
    }

    private static EffectiveModelSettings Embedding(int contextSize, int sequences) => new(contextSize, sequences, 8, 0, 1, "chatml", ModelRole.Embedding);

    private static Dictionary<string, GgufMetadataValue> Bert() => new()
    {
        ["general.architecture"] = GgufMetadataValue.Scalar(GgufValueType.String, "bert"),
        ["bert.block_count"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 12u),
        ["bert.embedding_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 384u),
        ["bert.feed_forward_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 1536u),
        ["bert.attention.head_count"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 12u),
        ["tokenizer.ggml.tokens"] = GgufMetadataValue.Array(GgufValueType.String, 30522),
    };

    private static Dictionary<string, GgufMetadataValue> Llama() => new()
    {
        ["general.architecture"] = GgufMetadataValue.Scalar(GgufValueType.String, "llama"),
        ["llama.block_count"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 22u),
        ["llama.embedding_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 2048u),
        ["llama.feed_forward_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 5632u),
        ["llama.attention.head_count"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 32u),
        ["llama.attention.head_count_kv"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 4u),
        ["tokenizer.ggml.tokens"] = GgufMetadataValue.Array(GgufValueType.String, 32000),
    };
}
