using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// What an <see cref="IvfVectorIndex"/> learned, saved so that start-up is "read the vectors, put each in
/// its list" without k-means: the centroids, the count they were trained at, and each id's list.
/// It is a hint, never the truth about which vectors exist: ids it lacks are placed by nearest centroid,
/// ids it has that the store lacks are ignored, so a state saved before a crash is still good.
/// </summary>
/// <remarks>
/// Little-endian bytes: "EIVF", format version (u16), dimensions, list count, trained count (i32 each),
/// the centroids (f32, row-major), the entry count (i32), then per entry its id (i64) and list (i32).
/// </remarks>
internal sealed record IvfState(int Dimensions, float[] Centroids, int TrainedCount, long[] Ids, int[] Lists)
{
    private const uint Magic = 0x46564945; // "EIVF" read as a little-endian u32
    private const ushort Version = 1;
    private const int HeaderBytes = 4 + 2 + (4 * 3);

    public int ListCount => Centroids.Length / Dimensions;

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + (Centroids.Length * 4) + 4 + (Ids.Length * 12)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[6..], Dimensions);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], ListCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], TrainedCount);
        span = span[HeaderBytes..];
        foreach (var value in Centroids)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span, value);
            span = span[4..];
        }

        BinaryPrimitives.WriteInt32LittleEndian(span, Ids.Length);
        span = span[4..];
        for (var i = 0; i < Ids.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span, Ids[i]);
            BinaryPrimitives.WriteInt32LittleEndian(span[8..], Lists[i]);
            span = span[12..];
        }

        return bytes;
    }

    /// <summary>
    /// Reads a state saved by <see cref="ToBytes"/>; null when the bytes are not one, are of another format
    /// version, or describe vectors of other than <paramref name="dimensions"/> (the embedding model changed).
    /// </summary>
    public static IvfState? TryRead(ReadOnlySpan<byte> bytes, int dimensions)
    {
        if (bytes.Length < HeaderBytes
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) != Version
            || BinaryPrimitives.ReadInt32LittleEndian(bytes[6..]) != dimensions)
        {
            return null;
        }

        var listCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[10..]);
        var trainedCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[14..]);
        var centroidBytes = (long)listCount * dimensions * 4;
        if (listCount <= 0 || trainedCount < 0 || bytes.Length < HeaderBytes + centroidBytes + 4)
        {
            return null;
        }

        bytes = bytes[HeaderBytes..];
        var centroids = new float[listCount * dimensions];
        for (var i = 0; i < centroids.Length; i++)
        {
            centroids[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }

        bytes = bytes[(int)centroidBytes..];
        var entries = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (entries < 0 || bytes.Length - 4 != (long)entries * 12 || !TensorPrimitives.IsFiniteAll<float>(centroids))
        {
            return null;
        }

        var ids = new long[entries];
        var lists = new int[entries];
        for (var i = 0; i < entries; i++)
        {
            var entry = bytes[(4 + (i * 12))..];
            ids[i] = BinaryPrimitives.ReadInt64LittleEndian(entry);
            lists[i] = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            if ((uint)lists[i] >= (uint)listCount)
            {
                return null;
            }
        }

        return new IvfState(dimensions, centroids, trainedCount, ids, lists);
    }
}
