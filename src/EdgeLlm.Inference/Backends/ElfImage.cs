using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLlm.Inference.Backends;

/// <summary>
/// What a shared object says about its own linking (the fields <c>readelf -d</c> shows): its soname, the
/// libraries it needs and where it asks the linker to look. Read with bounds checks from a possibly hostile
/// file, and only 64-bit little-endian images for this process's machine are accepted.
/// </summary>
internal sealed record ElfImage(string? Soname, IReadOnlyList<string> Needed, IReadOnlyList<string> SearchPaths)
{
    private const int HeaderSize = 64;
    private const uint LoadSegment = 1;
    private const uint DynamicSegment = 2;
    private const long NeededTag = 1;
    private const long StringTableTag = 5;
    private const long StringTableSizeTag = 10;
    private const long SonameTag = 14;
    private const long RpathTag = 15;
    private const long RunpathTag = 29;
    private const int MaxSegments = 512;
    private const int MaxDynamicEntries = 4096;
    private const int MaxStringTableBytes = 1 << 20;

    /// <summary>Reads the dynamic section of <paramref name="path"/>; a file that is not a loadable shared object for this machine gives an error text instead.</summary>
    public static ElfImage? TryRead(string path, out string? error)
    {
        try
        {
            using var file = File.OpenRead(path);
            var image = Read(file);
            error = null;
            return image;
        }
        catch (InvalidDataException ex)
        {
            error = ex.Message;
            return null;
        }
        catch (EndOfStreamException)
        {
            error = "the file is truncated";
            return null;
        }
    }

    private static ElfImage Read(FileStream file)
    {
        var magic = ReadAt(file, 0, (int)Math.Min(4, file.Length));
        if (!magic.AsSpan().SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']))
        {
            throw new InvalidDataException("not an ELF shared object");
        }

        var header = ReadAt(file, 0, HeaderSize);

        if (header[4] != 2 || header[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF image");
        }

        var machine = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18));
        if (machine != ExpectedMachine())
        {
            throw new InvalidDataException($"built for ELF machine {machine}, not this machine ({RuntimeInformation.ProcessArchitecture})");
        }

        var segmentsOffset = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(32));
        var segmentSize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(54));
        var segmentCount = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(56));
        if (segmentSize < 56 || segmentCount > MaxSegments)
        {
            throw new InvalidDataException("malformed program header table");
        }

        var segments = ReadSegments(file, segmentsOffset, segmentSize, segmentCount);
        var dynamic = segments.FirstOrDefault(s => s.Type == DynamicSegment);
        if (dynamic.Type != DynamicSegment)
        {
            throw new InvalidDataException("no dynamic section: not a shared object");
        }

        return ReadDynamic(file, segments, dynamic);
    }

    private static List<Segment> ReadSegments(FileStream file, long offset, int size, int count)
    {
        var table = ReadAt(file, offset, checked(size * count));
        var segments = new List<Segment>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = table.AsSpan(i * size, size);
            segments.Add(new Segment(
                BinaryPrimitives.ReadUInt32LittleEndian(entry),
                BinaryPrimitives.ReadInt64LittleEndian(entry[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(entry[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(entry[32..])));
        }

        return segments;
    }

    private static ElfImage ReadDynamic(FileStream file, List<Segment> segments, Segment dynamic)
    {
        var count = (int)Math.Min(dynamic.FileSize / 16, MaxDynamicEntries);
        var entries = ReadAt(file, dynamic.Offset, count * 16);
        var tags = new List<(long Tag, long Value)>();
        for (var i = 0; i < count; i++)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(i * 16));
            if (tag == 0)
            {
                break;
            }

            tags.Add((tag, BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(i * 16 + 8))));
        }

        var tableAddress = tags.FirstOrDefault(t => t.Tag == StringTableTag).Value;
        var tableSize = tags.FirstOrDefault(t => t.Tag == StringTableSizeTag).Value;
        if (tableAddress == 0 || tableSize is <= 0 or > MaxStringTableBytes)
        {
            throw new InvalidDataException("malformed dynamic string table");
        }

        // The dynamic section names the string table by its address once loaded; map it back to the file.
        var load = segments.FirstOrDefault(s => s.Type == LoadSegment && tableAddress >= s.Address && tableAddress + tableSize <= s.Address + s.FileSize);
        if (load.Type != LoadSegment)
        {
            throw new InvalidDataException("the dynamic string table lies outside the file");
        }

        var strings = ReadAt(file, load.Offset + (tableAddress - load.Address), (int)tableSize);
        string Text(long index)
        {
            if (index < 0 || index >= strings.Length)
            {
                throw new InvalidDataException("a dynamic entry points outside the string table");
            }

            var rest = strings.AsSpan((int)index);
            var end = rest.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end >= 0 ? rest[..end] : rest);
        }

        var needed = tags.Where(t => t.Tag == NeededTag).Select(t => Text(t.Value)).ToList();
        var soname = tags.Where(t => t.Tag == SonameTag).Select(t => Text(t.Value)).FirstOrDefault();
        var searchPaths = tags.Where(t => t.Tag is RunpathTag or RpathTag)
            .SelectMany(t => Text(t.Value).Split(':', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        return new ElfImage(soname, needed, searchPaths);
    }

    private static byte[] ReadAt(FileStream file, long offset, int count)
    {
        if (offset < 0 || count < 0 || offset > file.Length - count)
        {
            throw new InvalidDataException("a header points outside the file");
        }

        var buffer = new byte[count];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }

    private static ushort ExpectedMachine() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 62,
        Architecture.Arm64 => 183,
        _ => 0,
    };

    private readonly record struct Segment(uint Type, long Offset, long Address, long FileSize);
}
