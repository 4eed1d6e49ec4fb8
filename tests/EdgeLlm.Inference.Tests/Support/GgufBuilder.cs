using System.Text;
using EdgeLlm.Inference.Gguf;

namespace EdgeLlm.Inference.Tests.Support;

/// <summary>
/// Writes GGUF files in memory for tests: well-formed by default, with a knob for every field a
/// hostile file might lie about (counts, lengths, types, shapes, offsets, alignment).
/// </summary>
internal sealed class GgufBuilder
{
    private readonly List<(string Key, Action<BinaryWriter> Write)> _keyValues = [];
    private readonly List<TensorSpec> _tensors = [];

    public byte[] Magic { get; set; } = "GGUF"u8.ToArray();

    public uint Version { get; set; } = 3;

    /// <summary>Written instead of the real tensor count when set.</summary>
    public ulong? TensorCountOverride { get; set; }

    /// <summary>Written instead of the real metadata count when set.</summary>
    public ulong? KeyValueCountOverride { get; set; }

    /// <summary>The alignment used to lay out the data; write general.alignment separately.</summary>
    public int Alignment { get; set; } = 32;

    /// <summary>Extra bytes appended after the data section.</summary>
    public int TrailingBytes { get; set; }

    /// <summary>A small valid llama file: architecture, name, context length and two F32 tensors.</summary>
    public static GgufBuilder MinimalLlama() => new GgufBuilder()
        .String("general.architecture", "llama")
        .String("general.name", "tiny")
        .UInt32("llama.context_length", 128)
        .Tensor("token_embd.weight", GgmlType.F32, 8, 4)
        .Tensor("output_norm.weight", GgmlType.F32, 8);

    public GgufBuilder String(string key, string value) => Raw(key, w => { w.Write((uint)GgufValueType.String); WriteString(w, value); });

    public GgufBuilder UInt32(string key, uint value) => Raw(key, w => { w.Write((uint)GgufValueType.UInt32); w.Write(value); });

    public GgufBuilder UInt64(string key, ulong value) => Raw(key, w => { w.Write((uint)GgufValueType.UInt64); w.Write(value); });

    public GgufBuilder Float32(string key, float value) => Raw(key, w => { w.Write((uint)GgufValueType.Float32); w.Write(value); });

    public GgufBuilder Bool(string key, bool value) => Raw(key, w => { w.Write((uint)GgufValueType.Bool); w.Write(value); });

    public GgufBuilder StringArray(string key, params string[] values) => Raw(key, w =>
    {
        w.Write((uint)GgufValueType.Array);
        w.Write((uint)GgufValueType.String);
        w.Write((ulong)values.Length);
        foreach (var value in values)
        {
            WriteString(w, value);
        }
    });

    public GgufBuilder Int32Array(string key, params int[] values) => Raw(key, w =>
    {
        w.Write((uint)GgufValueType.Array);
        w.Write((uint)GgufValueType.Int32);
        w.Write((ulong)values.Length);
        foreach (var value in values)
        {
            w.Write(value);
        }
    });

    /// <summary>Adds an entry whose type and value bytes the caller writes (the key is written here).</summary>
    public GgufBuilder Raw(string key, Action<BinaryWriter> writeTypeAndValue)
    {
        _keyValues.Add((key, writeTypeAndValue));
        return this;
    }

    /// <summary>Adds an entry the caller writes completely, key included.</summary>
    public GgufBuilder RawEntry(Action<BinaryWriter> writeEntry)
    {
        _keyValues.Add((string.Empty, writeEntry));
        return this;
    }

    /// <summary>Adds a tensor laid out after the previous one (unless it sets its own offset); its data is zero.</summary>
    public GgufBuilder Tensor(string name, GgmlType type, params ulong[] dimensions) =>
        Tensor(new TensorSpec(name, (uint)type, dimensions));

    public GgufBuilder Tensor(TensorSpec tensor)
    {
        _tensors.Add(tensor);
        return this;
    }

    public GgufBuilder Remove(string key)
    {
        _keyValues.RemoveAll(kv => kv.Key == key);
        return this;
    }

    public MemoryStream BuildStream() => new(Build(), writable: false);

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write(TensorCountOverride ?? (ulong)_tensors.Count);
        w.Write(KeyValueCountOverride ?? (ulong)_keyValues.Count);
        foreach (var (key, write) in _keyValues)
        {
            if (key.Length > 0)
            {
                WriteString(w, key);
            }

            write(w);
        }

        var dataEnd = 0L;
        foreach (var tensor in _tensors)
        {
            var offset = tensor.Offset ?? (ulong)Pad(dataEnd);
            var size = tensor.DataSize ?? SizeOf(tensor);
            WriteString(w, tensor.Name);
            w.Write(tensor.DimensionCount ?? (uint)tensor.Dimensions.Length);
            foreach (var dimension in tensor.Dimensions)
            {
                w.Write(dimension);
            }

            w.Write(tensor.Type);
            w.Write(offset);
            if (tensor.Offset is null)
            {
                dataEnd = (long)offset + size;
            }
        }

        if (_tensors.Count > 0)
        {
            w.Flush();
            stream.SetLength(Pad(stream.Length));
            stream.Position = stream.Length;
            stream.SetLength(stream.Length + Pad(dataEnd) + TrailingBytes);
        }

        return stream.ToArray();
    }

    /// <summary>The byte size a tensor's shape and type imply (0 for unknown types or absurd shapes).</summary>
    public static long SizeOf(TensorSpec tensor)
    {
        if (!GgmlTypes.TryGet(tensor.Type, out var info))
        {
            return 0;
        }

        var elements = 1.0;
        foreach (var dimension in tensor.Dimensions)
        {
            elements *= dimension;
        }

        return elements > 1e9 ? 0 : (long)elements / info.BlockSize * info.TypeSize;
    }

    public static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private long Pad(long offset) => (offset + Alignment - 1) / Alignment * Alignment;
}

/// <summary>A tensor description; the optional fields override what the builder would write.</summary>
internal sealed record TensorSpec(string Name, uint Type, ulong[] Dimensions)
{
    public ulong? Offset { get; init; }

    public long? DataSize { get; init; }

    public uint? DimensionCount { get; init; }
}

internal static class GgufBuilderExtensions
{
    /// <summary>Applies a change to the builder inline, for one-line test setups.</summary>
    public static GgufBuilder With(this GgufBuilder builder, Action<GgufBuilder> change)
    {
        change(builder);
        return builder;
    }
}
