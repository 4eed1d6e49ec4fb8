using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Tests.Support;
using LLama.Native;

namespace EdgeLlm.Inference.Tests.Gguf;

/// <summary>A BERT file is refused in managed code when it lacks what llama.cpp's BERT loader needs (it would assert on some of it).</summary>
public sealed class BertRequirementsTests
{
    [Fact]
    public void ABertWithEveryKeyAndTensorIsAccepted()
    {
        var result = GgufAssert.Validate(Bert());

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("bert", result.Summary!.Architecture);
    }

    [Fact]
    public void OneFusedQkvMatrixStandsForTheThreeApart()
    {
        var builder = Bert(fusedQkv: true);

        Assert.True(GgufAssert.Validate(builder).IsValid);
    }

    [Theory]
    [InlineData("bert.block_count")]
    [InlineData("bert.embedding_length")]
    [InlineData("bert.context_length")]
    [InlineData("bert.attention.head_count")]
    [InlineData("bert.attention.layer_norm_epsilon")]
    [InlineData("tokenizer.ggml.token_type_count")]
    public void AMissingHyperParameterIsRefused(string key) =>
        GgufAssert.Rejected(GgufRejection.BadArchitectureMetadata, Bert().Remove(key));

    [Theory]
    [InlineData(0u)]
    [InlineData(513u)] // above llama.cpp's LLAMA_MAX_LAYERS, where it would assert
    public void ALayerCountLlamaCppCannotHoldIsRefused(uint layers) =>
        GgufAssert.Rejected(GgufRejection.BadArchitectureMetadata, Bert().Remove("bert.block_count").UInt32("bert.block_count", layers));

    [Fact]
    public void AWidthTheHeadsDoNotDivideIsRefused() =>
        GgufAssert.Rejected(GgufRejection.BadArchitectureMetadata, Bert().Remove("bert.attention.head_count").UInt32("bert.attention.head_count", 3));

    [Theory]
    [InlineData("position_embd.weight")]
    [InlineData("token_embd_norm.bias")]
    [InlineData("blk.1.attn_k.weight")]
    [InlineData("blk.1.layer_output_norm.bias")]
    public void AMissingTensorIsRefusedByName(string tensor)
    {
        var result = GgufAssert.Validate(Bert(omit: tensor));

        Assert.Equal(GgufRejection.MissingTensor, result.Rejection);
        Assert.Contains(tensor, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVocabularyWithATokenTwiceIsRefusedBeforeLlamaCppAbortsOnIt()
    {
        var result = GgufAssert.Validate(Bert().StringArray("tokenizer.ggml.tokens", "[PAD]", "\u2581dog", "", "\u2581cat", "", "\u2581dog"));

        Assert.Equal(GgufRejection.DuplicateToken, result.Rejection);
        Assert.Contains("token #5", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALlamaIsNotHeldToBertsTensors() =>
        Assert.True(GgufAssert.Validate(GgufBuilder.MinimalLlama()).IsValid);

    [Theory]
    [InlineData(null, LLamaPoolingType.Mean)]
    [InlineData(1u, LLamaPoolingType.Mean)]
    [InlineData(2u, LLamaPoolingType.CLS)]
    [InlineData(3u, LLamaPoolingType.Last)]
    [InlineData(0u, LLamaPoolingType.Mean)] // per token: not one vector per text
    [InlineData(4u, LLamaPoolingType.Mean)] // rank: a score, not a vector
    public void TheDeclaredPoolingIsUsedWhenItGivesOneVectorPerText(uint? declared, LLamaPoolingType expected)
    {
        var builder = Bert();
        if (declared is { } pooling)
        {
            builder.UInt32("bert.pooling_type", pooling);
        }

        Assert.Equal(expected, EmbeddingPooling.Of(GgufAssert.Validate(builder).Summary!));
    }

    /// <summary>Two layers, 8 wide, 2 heads: every key and tensor the loader requires, tiny F32 tensors.</summary>
    private static GgufBuilder Bert(bool fusedQkv = false, string? omit = null)
    {
        var builder = new GgufBuilder()
            .String("general.architecture", "bert")
            .UInt32("bert.context_length", 16)
            .UInt32("bert.embedding_length", 8)
            .UInt32("bert.feed_forward_length", 16)
            .UInt32("bert.block_count", 2)
            .UInt32("bert.attention.head_count", 2)
            .Float32("bert.attention.layer_norm_epsilon", 1e-12f)
            .UInt32("tokenizer.ggml.token_type_count", 2);
        List<string> tensors = ["token_embd.weight", "position_embd.weight", "token_embd_norm.weight", "token_embd_norm.bias"];
        for (var i = 0; i < 2; i++)
        {
            tensors.AddRange(fusedQkv ? [$"blk.{i}.attn_qkv.weight"] : [$"blk.{i}.attn_q.weight", $"blk.{i}.attn_k.weight", $"blk.{i}.attn_v.weight"]);
            tensors.AddRange(
            [
                $"blk.{i}.attn_output.weight", $"blk.{i}.attn_output_norm.weight", $"blk.{i}.attn_output_norm.bias",
                $"blk.{i}.ffn_up.weight", $"blk.{i}.ffn_down.weight", $"blk.{i}.layer_output_norm.weight", $"blk.{i}.layer_output_norm.bias",
            ]);
        }

        foreach (var tensor in tensors.Where(t => t != omit))
        {
            builder.Tensor(tensor, GgmlType.F32, 8);
        }

        return builder;
    }
}
