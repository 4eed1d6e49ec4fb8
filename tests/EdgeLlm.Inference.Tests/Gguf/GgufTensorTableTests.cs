using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Tests.Support;
using Xunit;

namespace EdgeLlm.Inference.Tests.Gguf;

public sealed class GgufTensorTableTests
{
    [Fact]
    public void ATensorNameLongerThanGgmlAllowsIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TensorNameTooLong, GgufBuilder.MinimalLlama().Tensor(new string('t', 64), GgmlType.F32, 8));

    [Fact]
    public void ADuplicateTensorNameIsRejected() =>
        GgufAssert.Rejected(GgufRejection.DuplicateTensorName, GgufBuilder.MinimalLlama().Tensor("output_norm.weight", GgmlType.F32, 8));

    [Fact]
    public void ATensorWithFiveDimensionsIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TooManyDimensions, GgufBuilder.MinimalLlama().Tensor("blk.0.x", GgmlType.F32, 1, 1, 1, 1, 1));

    [Fact]
    public void ADimensionCountThatLiesIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TooManyDimensions, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", 0, [8]) { DimensionCount = 0xFFFFFFFF }));

    [Theory]
    [InlineData(ulong.MaxValue, 1UL)]
    [InlineData(1UL << 32, 1UL << 32)]
    [InlineData(1UL << 62, 1UL)]
    public void DimensionsWhoseSizeOverflowsAreRejected(ulong ne0, ulong ne1) =>
        GgufAssert.Rejected(GgufRejection.DimensionOverflow, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", (uint)GgmlType.F32, [ne0, ne1]) { DataSize = 0 }));

    [Theory]
    [InlineData(4u)]
    [InlineData(31u)]
    [InlineData(43u)]
    [InlineData(1000u)]
    public void AnUnknownOrRetiredTensorTypeIsRejected(uint type) =>
        GgufAssert.Rejected(GgufRejection.UnknownTensorType, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", type, [256])));

    [Fact]
    public void ARowThatIsNotAWholeNumberOfBlocksIsRejected() =>
        GgufAssert.Rejected(GgufRejection.MisalignedRow, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", (uint)GgmlType.Q4_0, [33, 2]) { DataSize = 64 }));

    [Fact]
    public void QuantisedTensorsWithWholeBlocksAreAccepted()
    {
        var result = GgufAssert.Validate(GgufBuilder.MinimalLlama()
            .Tensor("blk.0.q4", GgmlType.Q4_0, 64, 3)
            .Tensor("blk.0.q8", GgmlType.Q8_0, 32, 5)
            .Tensor("blk.0.k", GgmlType.Q4_K, 256, 2)
            .Tensor("blk.0.mx", GgmlType.MXFP4, 32, 1));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(6, result.Summary.TensorCount);
    }

    [Fact]
    public void ATensorOffsetThatIsNotAlignedIsRejected() =>
        GgufAssert.Rejected(GgufRejection.BadTensorOffset, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", 0, [8]) { Offset = 16 }));

    [Fact]
    public void ATensorPastTheEndOfTheFileIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TensorOutOfBounds, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", 0, [8]) { Offset = 1UL << 40, DataSize = 0 }));

    [Fact]
    public void ATensorWhoseDataIsMissingIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TensorOutOfBounds, new GgufBuilder().String("general.architecture", "llama").Tensor(new TensorSpec("a", 0, [64]) { DataSize = 0 }));

    [Fact]
    public void AnOffsetBeyondASignedLongIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TensorOutOfBounds, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", 0, [8]) { Offset = ulong.MaxValue - 31, DataSize = 0 }));

    [Fact]
    public void OverlappingTensorsAreRejected() =>
        GgufAssert.Rejected(GgufRejection.TensorOverlap, GgufBuilder.MinimalLlama().Tensor(new TensorSpec("blk.0.x", 0, [8]) { Offset = 0 }));
}
