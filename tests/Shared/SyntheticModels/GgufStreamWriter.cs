using System.Text;

namespace EdgeLlm.Testing;

/// <summary>
/// Writes GGUF v3 (little-endian) piece by piece: header, metadata entries (scalars and arrays), tensor descriptions, then
/// tensor data padded to the 32-byte default alignment. Only the value types test models need.
/// </summary>
internal sealed class GgufStreamWriter(Stream stream) : IDisposable
{
    public const int Alignment = 32;

    private const uint UInt32Type = 4;
    private const uint Int32Type = 5;
    private const uint Float32Type = 6;
    private const uint BoolType = 7;
    private const uint StringType = 8;
    private const uint ArrayType = 9;

    private readonly BinaryWriter _writer = new(stream, Encoding.UTF8, leaveOpen: true);

    public void Header(int tensorCount, int keyValueCount)
    {
        _writer.Write("GGUF"u8);
        _writer.Write(3u);
        _writer.Write((ulong)tensorCount);
        _writer.Write((ulong)keyValueCount);
    }

    public void String(string key, string value) => Entry(key, StringType, () => Text(value));

    public void UInt32(string key, uint value) => Entry(key, UInt32Type, () => _writer.Write(value));

    public void Float32(string key, float value) => Entry(key, Float32Type, () => _writer.Write(value));

    public void Bool(string key, bool value) => Entry(key, BoolType, () => _writer.Write(value));

    public void Strings(string key, IReadOnlyList<string> values) => Entry(key, ArrayType, () =>
    {
        _writer.Write(StringType);
        _writer.Write((ulong)values.Count);
        foreach (var value in values)
        {
            Text(value);
        }
    });

    public void Int32s(string key, IReadOnlyList<int> values) => Entry(key, ArrayType, () =>
    {
        _writer.Write(Int32Type);
        _writer.Write((ulong)values.Count);
        foreach (var value in values)
        {
            _writer.Write(value);
        }
    });

    /// <summary>A tensor's description: <paramref name="shape"/> innermost first (ggml's ne[0] is the row length).</summary>
    public void TensorInfo(string name, uint ggmlType, long[] shape, long offset)
    {
        Text(name);
        _writer.Write((uint)shape.Length);
        foreach (var dimension in shape)
        {
            _writer.Write((ulong)dimension);
        }

        _writer.Write(ggmlType);
        _writer.Write((ulong)offset);
    }

    public void Bytes(ReadOnlySpan<byte> data) => _writer.Write(data);

    /// <summary>Zeros up to the next multiple of <see cref="Alignment"/>, counted from the start of the stream.</summary>
    public void Pad()
    {
        _writer.Flush();
        var padding = (int)((Alignment - (stream.Position % Alignment)) % Alignment);
        _writer.Write(new byte[padding]);
    }

    public void Dispose() => _writer.Dispose();

    private void Entry(string key, uint type, Action value)
    {
        Text(key);
        _writer.Write(type);
        value();
    }

    private void Text(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        _writer.Write((ulong)bytes.Length);
        _writer.Write(bytes);
    }
}
