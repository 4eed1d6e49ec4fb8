using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Tests.Models;

/// <summary>The footprint formula on synthetic metadata: weights as given, f16 KV per cell, a compute allowance per batch.</summary>
public sealed class ModelFootprintTests
{
    private const long Weights = 600_000_000;

    [Fact]
    public void AGroupedQueryLlamaTakesItsWeightsAnF16CacheForEveryCellAndTheLogitsOfABatch()
    {
        // TinyLlama 1.1B's shape: 22 layers, 2048 wide, 32 heads sharing 4 KV heads of 64.
        var footprint = ModelFootprint.Estimate(Llama(kvHeads: 4), "llama", Weights, Settings(contextSize: 2048, sequences: 4), batchSize: 512);

        Assert.Equal(Weights, footprint.WeightsBytes);
        Assert.Equal(22L * (2048 * 4) * ((64 + 64) * 4) * 2, footprint.KvCacheBytes);
        Assert.Equal(4L * 512 * (32000 + (2 * 5632)), footprint.ComputeBytes);
        Assert.Equal(footprint.WeightsBytes + footprint.KvCacheBytes + footprint.ComputeBytes, footprint.TotalBytes);
    }

    [Fact]
    public void TheCacheGrowsWithContextAndSequencesAndNothingElseDoes()
    {
        var one = ModelFootprint.Estimate(Llama(kvHeads: 4), "llama", Weights, Settings(1024, 1), 512);
        var eight = ModelFootprint.Estimate(Llama(kvHeads: 4), "llama", Weights, Settings(2048, 4), 512);

        Assert.Equal(8 * one.KvCacheBytes, eight.KvCacheBytes);
        Assert.Equal(one.WeightsBytes, eight.WeightsBytes);
        Assert.Equal(one.ComputeBytes, eight.ComputeBytes);
    }

    [Fact]
    public void WithoutAKvHeadCountEveryHeadKeepsItsOwnKeysAndValues()
    {
        var shared = ModelFootprint.Estimate(Llama(kvHeads: 32), "llama", Weights, Settings(256, 1), 64);
        var undeclared = ModelFootprint.Estimate(Llama(kvHeads: null), "llama", Weights, Settings(256, 1), 64);

        Assert.Equal(22L * 256 * ((64 + 64) * 32) * 2, undeclared.KvCacheBytes);
        Assert.Equal(shared.KvCacheBytes, undeclared.KvCacheBytes);
    }

    [Fact]
    public void DeclaredKeyAndValueLengthsWinOverTheWidthDividedByTheHeads()
    {
        var metadata = Llama(kvHeads: 4);
        metadata["llama.attention.key_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 192u);
        metadata["llama.attention.value_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 128u);

        var footprint = ModelFootprint.Estimate(metadata, "llama", Weights, Settings(100, 2), 512);

        Assert.Equal(22L * 200 * ((192 + 128) * 4) * 2, footprint.KvCacheBytes);
    }

    [Fact]
    public void AVocabularySizeKeyWinsOverTheTokenListLength()
    {
        var metadata = Llama(kvHeads: 4);
        metadata["llama.vocab_size"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 1000u);

        Assert.Equal(4L * 8 * (1000 + (2 * 5632)), ModelFootprint.Estimate(metadata, "llama", Weights, Settings(100, 1), 8).ComputeBytes);
    }

    [Fact]
    public void AFileWithoutAttentionIsEstimatedByItsWeightsAlone()
    {
        var metadata = new Dictionary<string, GgufMetadataValue> { ["general.architecture"] = GgufMetadataValue.Scalar(GgufValueType.String, "unknown") };

        var footprint = ModelFootprint.Estimate(metadata, "unknown", Weights, Settings(4096, 8), 512);

        Assert.Equal(Weights, footprint.TotalBytes);
    }

    private static EffectiveModelSettings Settings(int contextSize, int sequences) => new(contextSize, sequences, 8, 0, 1, "chatml");

    private static Dictionary<string, GgufMetadataValue> Llama(int? kvHeads)
    {
        var metadata = new Dictionary<string, GgufMetadataValue>
        {
            ["general.architecture"] = GgufMetadataValue.Scalar(GgufValueType.String, "llama"),
            ["llama.block_count"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 22u),
            ["llama.embedding_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 2048u),
            ["llama.feed_forward_length"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 5632u),
            ["llama.attention.head_count"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, 32u),
            ["tokenizer.ggml.tokens"] = GgufMetadataValue.Array(GgufValueType.String, 32000),
        };
        if (kvHeads is { } count)
        {
            metadata["llama.attention.head_count_kv"] = GgufMetadataValue.Scalar(GgufValueType.UInt32, (uint)count);
        }

        return metadata;
    }
}
