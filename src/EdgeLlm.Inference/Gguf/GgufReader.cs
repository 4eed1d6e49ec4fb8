using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// Reads the little-endian GGUF header from a stream without ever trusting a length: every read
/// is checked against the bytes the file still has (<see cref="GgufRejection.Truncated"/>) and
/// against the metadata budget (<see cref="GgufRejection.MetadataTooLarge"/>) before anything is
/// allocated or read. It only moves forward, so it needs no seekable stream.
/// </summary>
internal sealed class GgufReader
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly long _metadataBudget;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _bufferOffset;
    private int _bufferCount;
    private MemoryStream? _capture;

    public GgufReader(Stream stream, long length, long metadataBudget)
    {
        _stream = stream;
        Length = length;
        _metadataBudget = metadataBudget;
    }

    /// <summary>The declared length of the file.</summary>
    public long Length { get; }

    /// <summary>Bytes consumed so far.</summary>
    public long Position { get; private set; }

    public long Remaining => Length - Position;

    /// <summary>Fails unless <paramref name="count"/> more bytes exist and fit the metadata budget.</summary>
    public void Require(long count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw new GgufFormatException(
                GgufRejection.Truncated,
                $"the file ends inside {what}: it needs {count} bytes at offset {Position} but only {Remaining} remain");
        }

        if (count > _metadataBudget - Position)
        {
            throw new GgufFormatException(
                GgufRejection.MetadataTooLarge,
                $"{what} at offset {Position} reaches past the {_metadataBudget}-byte limit on metadata and tensor descriptions");
        }
    }

    public byte ReadByte(string what) => Take(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>Reads <paramref name="count"/> bytes (at most the buffer size) and returns them.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count, string what) => Take(count, what);

    /// <summary>Reads a length-prefixed UTF-8 string of at most <paramref name="maxLength"/> bytes.</summary>
    public string ReadString(long maxLength, string what)
    {
        var length = ReadStringLength(maxLength, what);
        if (length <= BufferSize)
        {
            return Encoding.UTF8.GetString(Take((int)length, what));
        }

        // Only reached for strings already checked against the limit and the remaining file.
        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            for (var done = 0; done < length;)
            {
                var chunk = (int)Math.Min(BufferSize, length - done);
                Take(chunk, what).CopyTo(rented.AsSpan(done));
                done += chunk;
            }

            return Encoding.UTF8.GetString(rented, 0, (int)length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Passes over a length-prefixed string of at most <paramref name="maxLength"/> bytes.</summary>
    public void SkipString(long maxLength, string what)
    {
        // Vocabularies are hundreds of thousands of short strings: skip those already buffered in one step.
        if (_bufferCount >= 8 && _capture is null)
        {
            var length = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_bufferOffset, 8));
            if (length <= (ulong)maxLength && length <= (ulong)(_bufferCount - 8))
            {
                var consumed = 8 + (int)length;
                _bufferOffset += consumed;
                _bufferCount -= consumed;
                Position += consumed;
                return;
            }
        }

        Skip(ReadStringLength(maxLength, what), what);
    }

    /// <summary>
    /// Passes over a string, returning the 64-bit FNV-1a hash of its bytes: enough to spot a string that repeats in a list of
    /// hundreds of thousands without keeping them (equal strings always hash equal). Null for the empty string.
    /// </summary>
    public ulong? HashString(long maxLength, string what)
    {
        var hash = 14695981039346656037UL;
        var length = ReadStringLength(maxLength, what);
        for (var remaining = length; remaining > 0;)
        {
            var chunk = (int)Math.Min(BufferSize, remaining);
            foreach (var b in Take(chunk, what))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            remaining -= chunk;
        }

        return length == 0 ? null : hash;
    }

    /// <summary>Passes over <paramref name="count"/> bytes, checking first that they exist.</summary>
    public void Skip(long count, string what)
    {
        if (count <= _bufferCount && _capture is null)
        {
            _bufferOffset += (int)count;
            _bufferCount -= (int)count;
            Position += count;
            return;
        }

        Require(count, what);
        while (count > 0)
        {
            var chunk = (int)Math.Min(BufferSize, count);
            Take(chunk, what);
            count -= chunk;
        }
    }

    /// <summary>Starts keeping a copy of every byte consumed, for <see cref="EndCapture"/>.</summary>
    public void BeginCapture() => _capture = new MemoryStream();

    public byte[] EndCapture()
    {
        var bytes = _capture?.ToArray() ?? [];
        _capture = null;
        return bytes;
    }

    private long ReadStringLength(long maxLength, string what)
    {
        var length = ReadUInt64(what);
        if (length > (ulong)maxLength)
        {
            throw new GgufFormatException(
                GgufRejection.StringTooLong,
                $"{what} at offset {Position - 8} claims {length} bytes, more than the limit of {maxLength}");
        }

        Require((long)length, what);
        return (long)length;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        // Buffered bytes were checked against the length and the budget when they were read.
        if (_bufferCount < count)
        {
            Require(count, what);
            Fill(count, what);
        }

        var span = _buffer.AsSpan(_bufferOffset, count);
        _bufferOffset += count;
        _bufferCount -= count;
        Position += count;
        _capture?.Write(span);
        return span;
    }

    private void Fill(int count, string what)
    {
        Buffer.BlockCopy(_buffer, _bufferOffset, _buffer, 0, _bufferCount);
        _bufferOffset = 0;

        // Never buffer past the declared length (even when the stream has more) or the budget.
        var wanted = (int)Math.Min(BufferSize, Math.Min(Remaining, _metadataBudget - Position));
        while (_bufferCount < wanted)
        {
            var read = _stream.Read(_buffer, _bufferCount, wanted - _bufferCount);
            if (read == 0)
            {
                break;
            }

            _bufferCount += read;
        }

        if (_bufferCount < count)
        {
            throw new GgufFormatException(
                GgufRejection.Truncated,
                $"the file ends inside {what} at offset {Position + _bufferCount}, before its declared length of {Length} bytes");
        }
    }
}
