namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// Checks a GGUF file in managed code before llama.cpp sees it: a malformed file must become a
/// typed rejection here, because a crash inside native code takes the whole daemon down. Only the
/// header, metadata and tensor table are read; tensor data is checked for bounds, not content.
/// </summary>
/// <remarks>
/// Accepts GGUF versions 2 and 3, the versions llama.cpp b10221 loads (v2 and v3 differ only in
/// big-endian support; v1 used 32-bit counts and is refused by llama.cpp). Thread-safe.
/// </remarks>
public sealed class GgufValidator
{
    internal const int HeaderSize = 24;
    internal const int MaxKeyLength = 65_535;
    private const int MinKeyValueSize = 8 + 4 + 1;
    private const int MinTensorInfoSize = 8 + 4 + 4 + 8;
    private const int DefaultAlignment = 32;
    private const string TokenListKey = "tokenizer.ggml.tokens";
    private static ReadOnlySpan<byte> Magic => "GGUF"u8;

    private readonly GgufValidationLimits _limits;

    /// <summary>Creates a validator with the default <see cref="GgufValidationLimits"/>.</summary>
    public GgufValidator()
        : this(new GgufValidationLimits())
    {
    }

    /// <summary>Creates a validator enforcing <paramref name="limits"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative, or the alignment limit below 1.</exception>
    public GgufValidator(GgufValidationLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(limits.SupportedArchitectures);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxKeyValueCount);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxTensorCount);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxStringLength);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxArrayLength);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxArrayDepth);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxDimensions);
        ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxMetadataBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxAlignment, 1);
        _limits = limits;
    }

    /// <summary>Validates the GGUF file at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public GgufValidationResult Validate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Validate(stream, stream.Length);
    }

    /// <summary>
    /// Validates a GGUF file that starts at the stream's current position and is
    /// <paramref name="length"/> bytes long. The stream is read forward only, never past that length.
    /// </summary>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public GgufValidationResult Validate(Stream stream, long length) => Validate(stream, length, captureKey: null);

    /// <summary>
    /// As <see cref="Validate(Stream, long)"/>, and also keeps the encoded bytes of every metadata
    /// entry whose key <paramref name="captureKey"/> selects, in <see cref="GgufSummary.CapturedKeyValues"/>.
    /// </summary>
    internal GgufValidationResult Validate(Stream stream, long length, Func<string, bool>? captureKey)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        try
        {
            return GgufValidationResult.Valid(Parse(new GgufReader(stream, length, _limits.MaxMetadataBytes), captureKey));
        }
        catch (GgufFormatException e)
        {
            return GgufValidationResult.Rejected(e.Rejection, e.Message);
        }
    }

    private GgufSummary Parse(GgufReader reader, Func<string, bool>? captureKey)
    {
        if (reader.Length < HeaderSize)
        {
            throw Reject(GgufRejection.FileTooSmall, $"the file has {reader.Length} bytes, fewer than the {HeaderSize}-byte GGUF header");
        }

        if (!reader.ReadBytes(4, "the magic").SequenceEqual(Magic))
        {
            throw Reject(GgufRejection.BadMagic, "the file does not start with the GGUF magic bytes");
        }

        var version = reader.ReadUInt32("the version");
        if (version is not (2 or 3))
        {
            var hint = (version & 0xFFFF) == 0 ? " (a big-endian file?)" : string.Empty;
            throw Reject(GgufRejection.UnsupportedVersion, $"GGUF version {version}{hint} is not supported; llama.cpp loads versions 2 and 3");
        }

        var tensorCount = reader.ReadUInt64("the tensor count");
        var keyValueCount = reader.ReadUInt64("the metadata count");
        if (keyValueCount > (ulong)_limits.MaxKeyValueCount)
        {
            throw Reject(GgufRejection.TooManyKeyValues, $"the header declares {keyValueCount} metadata entries, more than the limit of {_limits.MaxKeyValueCount}");
        }

        if (tensorCount > (ulong)_limits.MaxTensorCount)
        {
            throw Reject(GgufRejection.TooManyTensors, $"the header declares {tensorCount} tensors, more than the limit of {_limits.MaxTensorCount}");
        }

        // Both counts are now small enough that this cannot overflow.
        reader.Require(((long)keyValueCount * MinKeyValueSize) + ((long)tensorCount * MinTensorInfoSize), $"the {keyValueCount} metadata entries and {tensorCount} tensor descriptions the header declares");

        var captured = new List<GgufRawKeyValue>();
        var metadata = ReadMetadata(reader, (int)keyValueCount, captureKey, captured);
        var alignment = CheckAlignment(metadata);
        var architecture = CheckArchitecture(metadata);
        var tensors = GgufTensorTable.Read(reader, (int)tensorCount, alignment, _limits.MaxDimensions);
        var dataOffset = GgufTensorTable.CheckLayout(reader, tensors, alignment);
        ArchitectureRequirements.Check(architecture, metadata, tensors);
        return new GgufSummary(version, dataOffset, alignment, metadata.AsReadOnly(), tensors.AsReadOnly(), captured.AsReadOnly());
    }

    private Dictionary<string, GgufMetadataValue> ReadMetadata(GgufReader reader, int count, Func<string, bool>? captureKey, List<GgufRawKeyValue> captured)
    {
        var metadata = new Dictionary<string, GgufMetadataValue>(Math.Min(count, 256), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var keyStart = reader.Position;
            if (captureKey is not null)
            {
                reader.BeginCapture();
            }

            var key = reader.ReadString(Math.Min(MaxKeyLength, _limits.MaxStringLength), $"metadata key #{i}");
            if (key.Length == 0)
            {
                throw Reject(GgufRejection.InvalidKey, $"metadata key #{i} at offset {keyStart} is empty");
            }

            if (metadata.ContainsKey(key))
            {
                throw Reject(GgufRejection.DuplicateKey, $"metadata key '{key}' appears twice");
            }

            var type = reader.ReadUInt32($"the type of '{key}'");
            metadata.Add(key, ReadValue(reader, type, key, depth: 0));
            if (captureKey is not null)
            {
                // Capture restarts at every key, so this holds exactly one encoded entry.
                var encoded = reader.EndCapture();
                if (captureKey(key))
                {
                    captured.Add(new GgufRawKeyValue(key, encoded));
                }
            }
        }

        return metadata;
    }

    private GgufMetadataValue ReadValue(GgufReader reader, uint type, string key, int depth)
    {
        var what = $"the value of '{key}'";
        switch ((GgufValueType)type)
        {
            case GgufValueType.UInt8: return Scalar(GgufValueType.UInt8, reader.ReadByte(what));
            case GgufValueType.Int8: return Scalar(GgufValueType.Int8, (sbyte)reader.ReadByte(what));
            case GgufValueType.UInt16: return Scalar(GgufValueType.UInt16, reader.ReadUInt16(what));
            case GgufValueType.Int16: return Scalar(GgufValueType.Int16, (short)reader.ReadUInt16(what));
            case GgufValueType.UInt32: return Scalar(GgufValueType.UInt32, reader.ReadUInt32(what));
            case GgufValueType.Int32: return Scalar(GgufValueType.Int32, (int)reader.ReadUInt32(what));
            case GgufValueType.Float32: return Scalar(GgufValueType.Float32, BitConverter.UInt32BitsToSingle(reader.ReadUInt32(what)));
            case GgufValueType.Bool: return Scalar(GgufValueType.Bool, reader.ReadByte(what) != 0);
            case GgufValueType.String: return Scalar(GgufValueType.String, reader.ReadString(_limits.MaxStringLength, what));
            case GgufValueType.UInt64: return Scalar(GgufValueType.UInt64, reader.ReadUInt64(what));
            case GgufValueType.Int64: return Scalar(GgufValueType.Int64, (long)reader.ReadUInt64(what));
            case GgufValueType.Float64: return Scalar(GgufValueType.Float64, BitConverter.UInt64BitsToDouble(reader.ReadUInt64(what)));
            case GgufValueType.Array:
                var (elementType, length) = SkipArray(reader, key, depth);
                return GgufMetadataValue.Array(elementType, length);
            default:
                throw Reject(GgufRejection.UnknownValueType, $"metadata '{key}' has value type {type}, which GGUF does not define");
        }
    }

    /// <summary>Walks an array without keeping its elements; returns its element type and length.</summary>
    private (GgufValueType ElementType, long Length) SkipArray(GgufReader reader, string key, int depth)
    {
        if (depth >= _limits.MaxArrayDepth)
        {
            throw Reject(GgufRejection.NestedArrayTooDeep, $"metadata '{key}' nests arrays deeper than the limit of {_limits.MaxArrayDepth}");
        }

        var elementType = reader.ReadUInt32($"the element type of '{key}'");
        var size = FixedSize(elementType);
        if (size == 0 && elementType is not ((uint)GgufValueType.String or (uint)GgufValueType.Array))
        {
            throw Reject(GgufRejection.UnknownValueType, $"metadata array '{key}' has element type {elementType}, which GGUF does not define");
        }

        var length = reader.ReadUInt64($"the length of '{key}'");
        if (length > (ulong)_limits.MaxArrayLength)
        {
            throw Reject(GgufRejection.ArrayTooLong, $"metadata array '{key}' claims {length} elements, more than the limit of {_limits.MaxArrayLength}");
        }

        // A string element needs at least its 8-byte length, an array element its type and length.
        var count = (long)length;
        var minimum = size != 0 ? size : elementType == (uint)GgufValueType.String ? 8 : 12;
        reader.Require(count * minimum, $"the {count} elements of '{key}'");
        if (size != 0)
        {
            reader.Skip(count * size, $"the elements of '{key}'");
        }
        else
        {
            var what = $"an element of '{key}'";
            // llama.cpp asserts (aborting the process) when the vocabulary holds a token twice, so the tokens are compared here;
            // empty ones it renames apart.
            var tokens = key == TokenListKey && depth == 0 ? new HashSet<ulong>((int)Math.Min(count, 1 << 20)) : null;
            for (var i = 0L; i < count; i++)
            {
                if (tokens is not null && elementType == (uint)GgufValueType.String)
                {
                    if (reader.HashString(_limits.MaxStringLength, what) is { } token && !tokens.Add(token))
                    {
                        throw Reject(GgufRejection.DuplicateToken, $"token #{i} of '{key}' repeats an earlier token");
                    }
                }
                else if (elementType == (uint)GgufValueType.String)
                {
                    reader.SkipString(_limits.MaxStringLength, what);
                }
                else
                {
                    SkipArray(reader, key, depth + 1);
                }
            }
        }

        return ((GgufValueType)elementType, count);
    }

    private int CheckAlignment(Dictionary<string, GgufMetadataValue> metadata)
    {
        if (!metadata.TryGetValue("general.alignment", out var value))
        {
            return DefaultAlignment;
        }

        if (value.Value is not uint alignment)
        {
            throw Reject(GgufRejection.BadAlignment, $"general.alignment must be a uint32 but is {value.Type}");
        }

        if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > (uint)_limits.MaxAlignment)
        {
            throw Reject(GgufRejection.BadAlignment, $"general.alignment {alignment} must be a power of two no larger than {_limits.MaxAlignment}");
        }

        return (int)alignment;
    }

    private string CheckArchitecture(Dictionary<string, GgufMetadataValue> metadata)
    {
        if (!metadata.TryGetValue("general.architecture", out var value) || !value.TryGetString(out var architecture))
        {
            throw Reject(GgufRejection.MissingArchitecture, "general.architecture is missing or is not a string");
        }

        if (!_limits.SupportedArchitectures.Contains(architecture))
        {
            var shown = architecture.Length <= 64 ? architecture : architecture[..64] + "…";
            throw Reject(GgufRejection.UnsupportedArchitecture, $"architecture '{shown}' is not supported");
        }

        return architecture;
    }

    private static int FixedSize(uint type) => (GgufValueType)type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };

    private static GgufMetadataValue Scalar(GgufValueType type, object value) => GgufMetadataValue.Scalar(type, value);

    internal static GgufFormatException Reject(GgufRejection rejection, string message) => new(rejection, message);
}
