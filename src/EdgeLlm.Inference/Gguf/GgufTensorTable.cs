namespace EdgeLlm.Inference.Gguf;

/// <summary>One tensor as the file describes it, with its byte size worked out from type and shape.</summary>
internal readonly record struct GgufTensorInfo(string Name, GgmlType Type, long Offset, long ByteSize);

/// <summary>
/// Reads the tensor descriptions and checks that every tensor's data lies inside the file,
/// aligned, without overlapping another — the offsets and sizes llama.cpp would otherwise trust.
/// </summary>
internal static class GgufTensorTable
{
    /// <summary>ggml keeps names in a 64-byte buffer with a terminating zero (GGML_MAX_NAME).</summary>
    internal const int MaxNameLength = 63;

    private const int GgmlMaxDimensions = 4;

    public static List<GgufTensorInfo> Read(GgufReader reader, int count, int alignment, int maxDimensions)
    {
        var dimensionLimit = Math.Clamp(maxDimensions, 0, GgmlMaxDimensions);
        var tensors = new List<GgufTensorInfo>(Math.Min(count, 1024));
        var names = new HashSet<string>(Math.Min(count, 1024), StringComparer.Ordinal);
        Span<long> dimensions = stackalloc long[GgmlMaxDimensions];
        for (var i = 0; i < count; i++)
        {
            var what = $"tensor #{i}";
            var nameLength = reader.ReadUInt64($"the name of {what}");
            if (nameLength > MaxNameLength)
            {
                throw GgufValidator.Reject(GgufRejection.TensorNameTooLong, $"the name of {what} claims {nameLength} bytes; ggml allows at most {MaxNameLength}");
            }

            var name = System.Text.Encoding.UTF8.GetString(reader.ReadBytes((int)nameLength, $"the name of {what}"));
            if (!names.Add(name))
            {
                throw GgufValidator.Reject(GgufRejection.DuplicateTensorName, $"tensor name '{name}' appears twice");
            }

            what = $"tensor '{name}'";
            var dimensionCount = reader.ReadUInt32($"the dimension count of {what}");
            if (dimensionCount > dimensionLimit)
            {
                throw GgufValidator.Reject(GgufRejection.TooManyDimensions, $"{what} has {dimensionCount} dimensions; at most {dimensionLimit} are allowed");
            }

            var elements = ReadShape(reader, what, dimensions[..(int)dimensionCount]);
            var typeId = reader.ReadUInt32($"the type of {what}");
            if (!GgmlTypes.TryGet(typeId, out var type))
            {
                throw GgufValidator.Reject(GgufRejection.UnknownTensorType, $"{what} has ggml type {typeId}, which is unknown or retired");
            }

            var rowLength = dimensionCount == 0 ? 1 : dimensions[0];
            if (rowLength % type.BlockSize != 0)
            {
                throw GgufValidator.Reject(GgufRejection.MisalignedRow, $"{what} has rows of {rowLength} elements, not a multiple of the {type.BlockSize}-element blocks of {type.Type}");
            }

            long byteSize;
            try
            {
                byteSize = type.ByteSize(elements);
            }
            catch (OverflowException)
            {
                throw GgufValidator.Reject(GgufRejection.DimensionOverflow, $"the byte size of {what} does not fit a signed 64-bit integer");
            }

            var offset = reader.ReadUInt64($"the data offset of {what}");
            if (offset % (ulong)alignment != 0)
            {
                throw GgufValidator.Reject(GgufRejection.BadTensorOffset, $"{what} has data offset {offset}, not a multiple of the alignment {alignment}");
            }

            if (offset > long.MaxValue)
            {
                throw GgufValidator.Reject(GgufRejection.TensorOutOfBounds, $"{what} has data offset {offset}, far past the end of the file");
            }

            tensors.Add(new GgufTensorInfo(name, type.Type, (long)offset, byteSize));
        }

        return tensors;
    }

    /// <summary>
    /// Checks the padding before the data section and each tensor's data range; returns where
    /// the data section starts.
    /// </summary>
    public static long CheckLayout(GgufReader reader, List<GgufTensorInfo> tensors, int alignment)
    {
        // llama.cpp pads to the alignment only when there are tensors.
        var dataOffset = reader.Position;
        if (tensors.Count > 0)
        {
            var padding = (alignment - (dataOffset % alignment)) % alignment;
            if (padding > reader.Remaining)
            {
                throw GgufValidator.Reject(GgufRejection.Truncated, $"the file ends at offset {reader.Length}, inside the padding before the tensor data at offset {dataOffset + padding}");
            }

            dataOffset += padding;
        }

        var dataLength = reader.Length - dataOffset;
        foreach (var tensor in tensors)
        {
            if (tensor.Offset > dataLength || tensor.ByteSize > dataLength - tensor.Offset)
            {
                throw GgufValidator.Reject(
                    GgufRejection.TensorOutOfBounds,
                    $"tensor '{tensor.Name}' needs bytes up to offset {(decimal)dataOffset + tensor.Offset + tensor.ByteSize} but the file ends at {reader.Length}");
            }
        }

        var ordered = tensors.Where(t => t.ByteSize > 0).OrderBy(t => t.Offset).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var previous = ordered[i - 1];
            if (ordered[i].Offset < previous.Offset + previous.ByteSize)
            {
                throw GgufValidator.Reject(GgufRejection.TensorOverlap, $"the data of tensors '{previous.Name}' and '{ordered[i].Name}' overlap");
            }
        }

        return dataOffset;
    }

    private static long ReadShape(GgufReader reader, string what, Span<long> dimensions)
    {
        var elements = 1L;
        for (var d = 0; d < dimensions.Length; d++)
        {
            var size = reader.ReadUInt64($"dimension {d} of {what}");
            if (size > long.MaxValue)
            {
                throw GgufValidator.Reject(GgufRejection.DimensionOverflow, $"dimension {d} of {what} is {size}, beyond a signed 64-bit integer");
            }

            dimensions[d] = (long)size;
            try
            {
                elements = checked(elements * (long)size);
            }
            catch (OverflowException)
            {
                throw GgufValidator.Reject(GgufRejection.DimensionOverflow, $"the element count of {what} overflows a signed 64-bit integer");
            }
        }

        return elements;
    }
}
