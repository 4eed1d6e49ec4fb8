using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Inference.Gguf;
using EdgeLlm.Testing;
using LLama;
using LLama.Common;
using LLama.Native;
using Xunit;

namespace EdgeLlm.Inference.Tests.Gguf;

/// <summary>The benchmark's synthetic models must pass validation and run in llama.cpp.</summary>
public sealed class SyntheticModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-synthetic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("Q4_0")]
    [InlineData("Q8_0")]
    public void ATinySyntheticModelValidatesLoadsAndDecodesToFiniteLogits(string weightType)
    {
        var shape = SyntheticLlamaShape.Tiny with { WeightType = Enum.Parse<GgmlType>(weightType) };
        var path = Path.Combine(_folder, $"tiny-{weightType}.gguf");

        var written = SyntheticLlamaWriter.Write(path, shape, TestModels.TinyRandomLlama2);

        Assert.Equal(new FileInfo(path).Length, written);
        Assert.Equal([path], Directory.GetFiles(_folder));
        var validation = new GgufValidator().Validate(path);
        Assert.True(validation.IsValid, validation.ToString());
        Assert.Equal("llama", validation.Summary.Architecture);
        Assert.Equal(3 + (9 * shape.BlockCount), validation.Summary.TensorCount);
        Assert.Equal(shape.ContextLength, validation.Summary.ContextLength);

        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0 });
        using var context = weights.CreateContext(new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0 });
        var tokens = context.Tokenize("Hello", addBos: true);
        var batch = new LLamaBatch();
        batch.AddRange(tokens, 0, LLamaSeqId.Zero, true);

        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
        var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
        Assert.Equal(32000, weights.Vocab.Count);
        Assert.Equal(32000, logits.Length);
        Assert.All(logits.ToArray(), logit => Assert.True(float.IsFinite(logit)));
        Assert.Contains(logits.ToArray(), logit => logit != 0);
    }

    [Fact]
    public void TheShapeOfTinyLlamaHasAboutOnePointOneBillionParameters()
    {
        var parameters = SyntheticLlamaShape.TinyLlama1B.ParameterCount(32000);

        Assert.InRange(parameters, 1_090_000_000, 1_110_000_000);
    }

    [Fact]
    public void AShapeThatIsNotWholeBlocksIsRefused()
    {
        var shape = SyntheticLlamaShape.Tiny with { FeedForwardLength = 100 };

        Assert.Throws<ArgumentException>(() => SyntheticLlamaWriter.Write(Path.Combine(_folder, "bad.gguf"), shape, TestModels.TinyRandomLlama2));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void ATokenizerSourceThatIsNotGgufIsRefusedWithoutLeavingFiles()
    {
        var notGguf = Path.Combine(_folder, "not.gguf");
        File.WriteAllText(notGguf, "definitely not a model");

        Assert.Throws<InvalidDataException>(() => SyntheticLlamaWriter.Write(Path.Combine(_folder, "out.gguf"), SyntheticLlamaShape.Tiny, notGguf));
        Assert.Equal([notGguf], Directory.GetFiles(_folder));
    }
}
