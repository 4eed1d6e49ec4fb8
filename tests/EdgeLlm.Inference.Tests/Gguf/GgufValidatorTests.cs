using EdgeLlm.Inference.Gguf;
using EdgeLlm.Inference.Tests.Support;
using Xunit;

namespace EdgeLlm.Inference.Tests.Gguf;

public sealed class GgufValidatorTests
{
    [Fact]
    public void AMinimalWellFormedFilePasses()
    {
        var result = GgufAssert.Validate(GgufBuilder.MinimalLlama().StringArray("tokenizer.ggml.tokens", "a", "b", "c"));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(GgufRejection.None, result.Rejection);
        var summary = result.Summary;
        Assert.Equal(3u, summary.Version);
        Assert.Equal("llama", summary.Architecture);
        Assert.Equal("tiny", summary.Name);
        Assert.Equal(128, summary.ContextLength);
        Assert.Equal(2, summary.TensorCount);
        Assert.Equal(4, summary.KeyValueCount);
        Assert.Equal(32, summary.Alignment);
        Assert.Equal(0, summary.DataOffset % 32);
        Assert.False(summary.HasChatTemplate);
    }

    [Fact]
    public void MetadataKeepsScalarsAndOnlyTheLengthOfArrays()
    {
        var result = GgufAssert.Validate(GgufBuilder.MinimalLlama()
            .Float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Bool("tokenizer.ggml.add_bos_token", true)
            .String("tokenizer.chat_template", "{{ messages }}")
            .StringArray("tokenizer.ggml.tokens", "a", "b", "c"));

        Assert.True(result.IsValid, result.ToString());
        var metadata = result.Summary.Metadata;
        Assert.True(metadata["llama.attention.layer_norm_rms_epsilon"].TryGetDouble(out var epsilon));
        Assert.Equal(1e-5, epsilon, 1e-9);
        Assert.True(metadata["tokenizer.ggml.add_bos_token"].TryGetBoolean(out var addBos) && addBos);
        Assert.True(result.Summary.HasChatTemplate);
        Assert.Equal(128, result.Summary.GetInt64("llama.context_length"));
        var tokens = metadata["tokenizer.ggml.tokens"];
        Assert.True(tokens.IsArray);
        Assert.Equal(GgufValueType.String, tokens.ElementType);
        Assert.Equal(3, tokens.ArrayLength);
        Assert.Null(tokens.Value);
    }

    [Fact]
    public void LimitsThatCannotBeEnforcedAreRefusedAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufValidator(new GgufValidationLimits { MaxStringLength = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufValidator(new GgufValidationLimits { MaxAlignment = 0 }));
    }

    [Fact]
    public void AFileShorterThanTheHeaderIsRejected()
    {
        using var stream = new MemoryStream("GGUF\x03\0\0\0"u8.ToArray());
        var result = new GgufValidator().Validate(stream, stream.Length);
        Assert.Equal(GgufRejection.FileTooSmall, result.Rejection);
    }

    [Fact]
    public void AFileWithoutTheGgufMagicIsRejected() =>
        GgufAssert.Rejected(GgufRejection.BadMagic, GgufBuilder.MinimalLlama().With(b => b.Magic = "GGML"u8.ToArray()));

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(0x03000000u)]
    public void AnUnsupportedVersionIsRejected(uint version) =>
        GgufAssert.Rejected(GgufRejection.UnsupportedVersion, GgufBuilder.MinimalLlama().With(b => b.Version = version));

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void VersionsTwoAndThreeAreAccepted(uint version)
    {
        var result = GgufAssert.Validate(GgufBuilder.MinimalLlama().With(b => b.Version = version));
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(version, result.Summary.Version);
    }

    [Fact]
    public void AKeyValueCountAboveTheLimitIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TooManyKeyValues, GgufBuilder.MinimalLlama().With(b => b.KeyValueCountOverride = ulong.MaxValue));

    [Fact]
    public void ATensorCountAboveTheLimitIsRejected() =>
        GgufAssert.Rejected(GgufRejection.TooManyTensors, GgufBuilder.MinimalLlama().With(b => b.TensorCountOverride = 65_537));

    [Fact]
    public void ACountWithinTheLimitButBeyondTheFileIsRejectedAsTruncated() =>
        GgufAssert.Rejected(GgufRejection.Truncated, GgufBuilder.MinimalLlama().With(b => b.KeyValueCountOverride = 60_000));

    [Fact]
    public void MetadataBeyondTheSizeBudgetIsRejected() =>
        GgufAssert.Rejected(
            GgufRejection.MetadataTooLarge,
            GgufBuilder.MinimalLlama().String("general.description", new string('x', 4096)),
            new GgufValidationLimits { MaxMetadataBytes = 1024 });

    [Fact]
    public void AnAbsurdKeyLengthIsRejected() =>
        GgufAssert.Rejected(GgufRejection.StringTooLong, GgufBuilder.MinimalLlama().RawEntry(w => w.Write(ulong.MaxValue)));

    [Fact]
    public void AnAbsurdStringValueLengthIsRejected() =>
        GgufAssert.Rejected(GgufRejection.StringTooLong, GgufBuilder.MinimalLlama().Raw("general.description", w =>
        {
            w.Write((uint)GgufValueType.String);
            w.Write(1UL << 40);
        }));

    [Fact]
    public void AStringLongerThanTheLimitIsRejected() =>
        GgufAssert.Rejected(
            GgufRejection.StringTooLong,
            GgufBuilder.MinimalLlama().String("tokenizer.chat_template", new string('x', 2000)),
            new GgufValidationLimits { MaxStringLength = 1000 });

    [Fact]
    public void AStringLongerThanTheRestOfTheFileIsRejectedAsTruncated() =>
        GgufAssert.Rejected(GgufRejection.Truncated, GgufBuilder.MinimalLlama().Raw("general.description", w =>
        {
            w.Write((uint)GgufValueType.String);
            w.Write(1_000_000UL);
        }));

    [Fact]
    public void AnAbsurdArrayLengthIsRejected() =>
        GgufAssert.Rejected(GgufRejection.ArrayTooLong, GgufBuilder.MinimalLlama().Raw("tokenizer.ggml.scores", w =>
        {
            w.Write((uint)GgufValueType.Array);
            w.Write((uint)GgufValueType.Float32);
            w.Write(1UL << 40);
        }));

    [Theory]
    [InlineData(GgufValueType.String)]
    [InlineData(GgufValueType.Float32)]
    public void AnArrayLongerThanTheRestOfTheFileIsRejectedAsTruncated(GgufValueType elementType) =>
        GgufAssert.Rejected(GgufRejection.Truncated, GgufBuilder.MinimalLlama().Raw("tokenizer.ggml.tokens", w =>
        {
            w.Write((uint)GgufValueType.Array);
            w.Write((uint)elementType);
            w.Write(4_000_000UL);
        }));

    [Theory]
    [InlineData(13u)]
    [InlineData(0xFFFFFFFFu)]
    public void AnUnknownValueTypeIsRejected(uint type) =>
        GgufAssert.Rejected(GgufRejection.UnknownValueType, GgufBuilder.MinimalLlama().Raw("general.mystery", w => w.Write(type)));

    [Fact]
    public void AnUnknownArrayElementTypeIsRejected() =>
        GgufAssert.Rejected(GgufRejection.UnknownValueType, GgufBuilder.MinimalLlama().Raw("general.mystery", w =>
        {
            w.Write((uint)GgufValueType.Array);
            w.Write(99u);
            w.Write(1UL);
        }));

    [Fact]
    public void AnArrayOfArraysIsRejectedByDefault() =>
        GgufAssert.Rejected(GgufRejection.NestedArrayTooDeep, GgufBuilder.MinimalLlama().Raw("general.nested", w =>
        {
            w.Write((uint)GgufValueType.Array);
            w.Write((uint)GgufValueType.Array);
            w.Write(1UL);
            w.Write((uint)GgufValueType.UInt8);
            w.Write(1UL);
            w.Write((byte)7);
        }));

    [Fact]
    public void ArraysNestedWithinTheConfiguredDepthAreAccepted()
    {
        var builder = GgufBuilder.MinimalLlama().Raw("general.nested", w =>
        {
            w.Write((uint)GgufValueType.Array);
            w.Write((uint)GgufValueType.Array);
            w.Write(2UL);
            for (var i = 0; i < 2; i++)
            {
                w.Write((uint)GgufValueType.String);
                w.Write(1UL);
                GgufBuilder.WriteString(w, "x");
            }
        });

        var result = GgufAssert.Validate(builder, new GgufValidationLimits { MaxArrayDepth = 2 });

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, result.Summary.Metadata["general.nested"].ArrayLength);
    }

    [Fact]
    public void ADuplicateKeyIsRejected() =>
        GgufAssert.Rejected(GgufRejection.DuplicateKey, GgufBuilder.MinimalLlama().String("general.name", "again"));

    [Fact]
    public void AnEmptyKeyIsRejected() =>
        GgufAssert.Rejected(GgufRejection.InvalidKey, GgufBuilder.MinimalLlama().RawEntry(w =>
        {
            w.Write(0UL);
            w.Write((uint)GgufValueType.UInt8);
            w.Write((byte)1);
        }));

    [Fact]
    public void AFileWithoutAnArchitectureIsRejected() =>
        GgufAssert.Rejected(GgufRejection.MissingArchitecture, GgufBuilder.MinimalLlama().Remove("general.architecture"));

    [Fact]
    public void AnArchitectureThatIsNotAStringIsRejected() =>
        GgufAssert.Rejected(GgufRejection.MissingArchitecture, GgufBuilder.MinimalLlama().Remove("general.architecture").UInt32("general.architecture", 1));

    [Fact]
    public void AnUnsupportedArchitectureIsRejected() =>
        GgufAssert.Rejected(GgufRejection.UnsupportedArchitecture, GgufBuilder.MinimalLlama().Remove("general.architecture").String("general.architecture", "mamba"));

    [Theory]
    [InlineData(0u)]
    [InlineData(3u)]
    [InlineData(48u)]
    [InlineData(1u << 20)]
    public void AnAlignmentThatIsNotABoundedPowerOfTwoIsRejected(uint alignment) =>
        GgufAssert.Rejected(GgufRejection.BadAlignment, GgufBuilder.MinimalLlama().UInt32("general.alignment", alignment));

    [Fact]
    public void AnAlignmentOfTheWrongTypeIsRejected() =>
        GgufAssert.Rejected(GgufRejection.BadAlignment, GgufBuilder.MinimalLlama().UInt64("general.alignment", 32));

    [Fact]
    public void ACustomPowerOfTwoAlignmentIsAccepted()
    {
        var result = GgufAssert.Validate(GgufBuilder.MinimalLlama().UInt32("general.alignment", 64).With(b => b.Alignment = 64));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(64, result.Summary.Alignment);
        Assert.Equal(0, result.Summary.DataOffset % 64);
    }

    [Fact]
    public void AStreamThatEndsInsideTheHeaderBeforeItsDeclaredLengthIsRejectedAsTruncated()
    {
        var bytes = GgufBuilder.MinimalLlama().Build();
        using var stream = new MemoryStream(bytes[..40]);
        var result = new GgufValidator().Validate(stream, bytes.Length);
        Assert.Equal(GgufRejection.Truncated, result.Rejection);
    }

    [Fact]
    public void TheValidatorNeverReadsPastTheDeclaredLength()
    {
        var bytes = GgufBuilder.MinimalLlama().Build();
        using var stream = new MemoryStream([.. bytes, .. new byte[100_000]]);

        var result = new GgufValidator().Validate(stream, bytes.Length);

        Assert.True(result.IsValid, result.ToString());
        Assert.True(stream.Position <= bytes.Length);
    }

    [Fact]
    public void CapturedEntriesAreTheExactBytesOfTheFile()
    {
        var bytes = GgufBuilder.MinimalLlama().StringArray("tokenizer.ggml.tokens", "a", "bc").Build();
        using var stream = new MemoryStream(bytes);

        var result = new GgufValidator().Validate(stream, bytes.Length, key => key.StartsWith("tokenizer.", StringComparison.Ordinal));

        Assert.True(result.IsValid, result.ToString());
        var entry = Assert.Single(result.Summary.CapturedKeyValues);
        Assert.Equal("tokenizer.ggml.tokens", entry.Key);
        var expected = new MemoryStream();
        using (var w = new BinaryWriter(expected))
        {
            GgufBuilder.WriteString(w, "tokenizer.ggml.tokens");
            w.Write((uint)GgufValueType.Array);
            w.Write((uint)GgufValueType.String);
            w.Write(2UL);
            GgufBuilder.WriteString(w, "a");
            GgufBuilder.WriteString(w, "bc");
        }

        Assert.Equal(expected.ToArray(), entry.Encoded.ToArray());
    }
}
