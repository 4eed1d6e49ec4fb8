using EdgeLlm.Inference.Gguf;
using EdgeLlm.Testing;
using Xunit;

namespace EdgeLlm.Inference.Tests.Gguf;

/// <summary>The validator against the real small models, whole, cut short and with bytes flipped.</summary>
public sealed class GgufRealModelTests
{
    private static readonly GgufValidator Validator = new();

    [Theory]
    [InlineData("stories260K.gguf", 48, 2048L, "llama")]
    [InlineData("llama-2-tiny-random.gguf", 12, 4096L, "LLaMA v2")]
    public void TheRealModelsValidateWithTheirExpectedShape(string model, int tensors, long contextLength, string name)
    {
        var result = Validator.Validate(TestModels.Get(model));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("llama", result.Summary.Architecture);
        Assert.Equal(3u, result.Summary.Version);
        Assert.Equal(tensors, result.Summary.TensorCount);
        Assert.Equal(contextLength, result.Summary.ContextLength);
        Assert.Equal(name, result.Summary.Name);
        Assert.Equal(32, result.Summary.Alignment);
    }

    [Fact]
    public void Stories260KHasNoChatTemplate()
    {
        var result = Validator.Validate(TestModels.Stories260K);

        Assert.True(result.IsValid, result.ToString());
        Assert.False(result.Summary.HasChatTemplate);
        Assert.Equal(512, result.Summary.Metadata["tokenizer.ggml.tokens"].ArrayLength);
    }

    [Fact]
    public void ATruncatedRealModelIsRejectedAtEveryCutPoint()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        var model = Layout.Of(bytes);

        foreach (var cut in model.CutPoints())
        {
            var result = Validate(bytes, cut);

            Assert.False(result.IsValid, $"a copy cut at {cut} of {bytes.Length} bytes was accepted");
            var expected = cut < GgufValidator.HeaderSize
                ? [GgufRejection.FileTooSmall]
                : new[] { GgufRejection.Truncated, GgufRejection.TensorOutOfBounds };
            Assert.True(expected.Contains(result.Rejection), $"cut at {cut}: {result}");
        }
    }

    [Fact]
    public void ACopyCutAtEveryTensorBoundaryIsOutOfBounds()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        var summary = Validate(bytes, bytes.Length).Summary!;

        foreach (var tensor in summary.Tensors)
        {
            var cut = summary.DataOffset + tensor.Offset + tensor.ByteSize - 1;
            Assert.Equal(GgufRejection.TensorOutOfBounds, Validate(bytes, cut).Rejection);
        }
    }

    [Fact]
    public void FlippedHeaderBytesNeverEscapeAsExceptions()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        var model = Layout.Of(bytes);
        var random = new Random(20240611);
        var outcomes = new Dictionary<GgufRejection, int>();

        // Every byte of the fixed header and of the tensor table, and a sample of the metadata.
        var positions = Enumerable.Range(0, GgufValidator.HeaderSize)
            .Concat(Enumerable.Range((int)model.TensorTableStart, (int)(model.Summary.DataOffset - model.TensorTableStart)))
            .Concat(Enumerable.Range(0, 1000).Select(_ => random.Next(GgufValidator.HeaderSize, (int)model.TensorTableStart)));
        foreach (var position in positions)
        {
            var flip = position < model.TensorTableStart && position >= GgufValidator.HeaderSize ? (byte)random.Next(1, 256) : (byte)0xFF;
            bytes[position] ^= flip;
            var result = Validate(bytes, bytes.Length);
            bytes[position] ^= flip;

            Assert.True(result.IsValid || result.Rejection != GgufRejection.None);
            outcomes[result.Rejection] = outcomes.GetValueOrDefault(result.Rejection) + 1;
        }

        // The flips must reach many different checks, not stop at one early failure.
        Assert.True(outcomes.Count >= 8, string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }

    [Fact]
    public void RandomMultiByteCorruptionNeverEscapesAsAnException()
    {
        var original = File.ReadAllBytes(TestModels.TinyRandomLlama2);
        var dataOffset = (int)Validate(original, original.Length).Summary!.DataOffset;
        var bytes = (byte[])original.Clone();
        var random = new Random(7);

        for (var round = 0; round < 2000; round++)
        {
            var positions = Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Next(dataOffset)).ToArray();
            foreach (var position in positions)
            {
                bytes[position] = (byte)random.Next(256);
            }

            var result = Validate(bytes, bytes.Length);
            foreach (var position in positions)
            {
                bytes[position] = original[position];
            }

            Assert.True(result.IsValid || result.Rejection != GgufRejection.None);
        }
    }

    private static GgufValidationResult Validate(byte[] bytes, long length)
    {
        using var stream = new MemoryStream(bytes, 0, (int)length, writable: false);
        return Validator.Validate(stream, length);
    }

    /// <summary>Where the sections of a valid model file begin and end.</summary>
    private sealed record Layout(GgufSummary Summary, long TensorTableStart, long[] KeyValueEnds, long DataEnd)
    {
        public static Layout Of(byte[] bytes)
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var result = Validator.Validate(stream, bytes.Length, captureKey: _ => true);
            Assert.True(result.IsValid, result.ToString());
            var summary = result.Summary;
            var ends = new List<long>();
            var position = (long)GgufValidator.HeaderSize;
            foreach (var entry in summary.CapturedKeyValues)
            {
                position += entry.Encoded.Length;
                ends.Add(position);
            }

            var dataEnd = summary.Tensors.Max(t => summary.DataOffset + t.Offset + t.ByteSize);
            return new Layout(summary, position, [.. ends], dataEnd);
        }

        /// <summary>
        /// Every byte of the fixed header and the tensor table; both sides of every metadata entry
        /// and of every tensor's data; 50 evenly spaced offsets — all short of the last data byte.
        /// </summary>
        public SortedSet<long> CutPoints()
        {
            var cuts = new SortedSet<long>();
            for (var offset = 0L; offset <= GgufValidator.HeaderSize; offset++)
            {
                cuts.Add(offset);
            }

            foreach (var end in KeyValueEnds)
            {
                cuts.UnionWith([end - 1, end, end + 1]);
            }

            for (var offset = TensorTableStart; offset <= Summary.DataOffset; offset++)
            {
                cuts.Add(offset);
            }

            foreach (var tensor in Summary.Tensors)
            {
                var start = Summary.DataOffset + tensor.Offset;
                cuts.UnionWith([start, start + 1, start + tensor.ByteSize - 1]);
            }

            for (var i = 0; i < 50; i++)
            {
                cuts.Add(DataEnd * i / 50);
            }

            cuts.Add(DataEnd - 1);
            cuts.RemoveWhere(cut => cut >= DataEnd);
            return cuts;
        }
    }
}
