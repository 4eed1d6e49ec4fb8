using System.Buffers.Binary;
using System.Text;
using EdgeLlm.Inference.Gguf;

namespace EdgeLlm.Benchmarks.SyntheticModels;

/// <summary>Writes the little-endian GGUF v3 header, metadata and tensor table to a stream.</summary>
internal sealed class GgufHeaderWriter(Stream stream)
{
    public void Header(int tensorCount, int keyValueCount)
    {
        stream.Write("GGUF"u8);
        UInt32Raw(3);
        UInt64Raw((ulong)tensorCount);
        UInt64Raw((ulong)keyValueCount);
    }

    public void String(string key, string value)
    {
        StringRaw(key);
        UInt32Raw((uint)GgufValueType.String);
        StringRaw(value);
    }

    public void UInt32(string key, uint value)
    {
        StringRaw(key);
        UInt32Raw((uint)GgufValueType.UInt32);
        UInt32Raw(value);
    }

    public void Float32(string key, float value)
    {
        StringRaw(key);
        UInt32Raw((uint)GgufValueType.Float32);
        UInt32Raw(BitConverter.SingleToUInt32Bits(value));
    }

    /// <summary>Copies an already encoded metadata entry.</summary>
    public void Raw(ReadOnlySpan<byte> entry) => stream.Write(entry);

    /// <summary>A two-dimensional tensor (<paramref name="rows"/> of 1 is written as one dimension).</summary>
    public void TensorInfo(string name, GgmlType type, long columns, long rows, long offset)
    {
        StringRaw(name);
        UInt32Raw(rows == 1 ? 1u : 2u);
        UInt64Raw((ulong)columns);
        if (rows != 1)
        {
            UInt64Raw((ulong)rows);
        }

        UInt32Raw((uint)type);
        UInt64Raw((ulong)offset);
    }

    public void PadTo(int alignment)
    {
        var padding = (int)((alignment - (stream.Position % alignment)) % alignment);
        stream.Write(new byte[padding]);
    }

    private void StringRaw(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        UInt64Raw((ulong)bytes.Length);
        stream.Write(bytes);
    }

    private void UInt32Raw(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private void UInt64Raw(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
