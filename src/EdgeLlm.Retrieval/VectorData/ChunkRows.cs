using System.Text.Json;
using EdgeLlm.Retrieval.Store;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.VectorData;

/// <summary>
/// Chunk rows of one collection read as <see cref="ChunkRecord"/>s: by id, or a page at a time in id order.
/// The vector column is selected only when asked for, so reads without vectors never touch the blobs.
/// </summary>
internal static class ChunkRows
{
    /// <summary>The id of the tenant's collection called <paramref name="name"/>; null for a collection of another tenant, as for none.</summary>
    public static string? CollectionId(SqliteConnection connection, string tenant, string name)
    {
        using var command = connection.Command("SELECT id FROM collections WHERE tenant = $tenant AND name = $name", null, ("$tenant", tenant), ("$name", name));
        return command.ExecuteScalar() as string;
    }

    public static Dictionary<long, ChunkRecord> ByIds(SqliteConnection connection, string collectionId, IReadOnlyCollection<long> ids, bool includeVectors)
    {
        using var command = connection.Command(
            Select(includeVectors) + " WHERE collection_id = $c AND id IN (SELECT value FROM json_each($ids))",
            null, ("$c", collectionId), ("$ids", JsonSerializer.Serialize(ids)));
        using var reader = command.ExecuteReader();
        var records = new Dictionary<long, ChunkRecord>(ids.Count);
        while (reader.Read())
        {
            var record = Read(reader, includeVectors);
            records[record.Id] = record;
        }

        return records;
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> rows with ids above <paramref name="after"/>, in id order, and keeps
    /// those <paramref name="keep"/> accepts. Each page is its own short read, so a long scan never holds a
    /// read transaction open (which would stop WAL checkpoints) while its caller works on the rows.
    /// </summary>
    public static ChunkPage Page(SqliteConnection connection, string collectionId, long after, int limit, Func<ChunkRecord, bool> keep, bool includeVectors)
    {
        using var command = connection.Command(
            Select(includeVectors) + " WHERE collection_id = $c AND id > $after ORDER BY id LIMIT $limit",
            null, ("$c", collectionId), ("$after", after), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var kept = new List<ChunkRecord>();
        var rows = 0;
        var last = after;
        while (reader.Read())
        {
            var record = Read(reader, includeVectors);
            rows++;
            last = record.Id;
            if (keep(record))
            {
                kept.Add(record);
            }
        }

        return new ChunkPage(kept, rows, last);
    }

    private static string Select(bool includeVectors) =>
        "SELECT id, document_id, ordinal, text, heading, start_offset, end_offset" + (includeVectors ? ", vector" : "") + " FROM chunks";

    private static ChunkRecord Read(SqliteDataReader reader, bool includeVectors) => new()
    {
        Id = reader.GetInt64(0),
        DocumentId = reader.GetString(1),
        Ordinal = reader.GetInt32(2),
        Text = reader.GetString(3),
        Heading = reader.GetString(4),
        Start = reader.GetInt32(5),
        End = reader.GetInt32(6),
        Vector = includeVectors ? SqliteCommands.FromBlob((byte[])reader.GetValue(7)) : ReadOnlyMemory<float>.Empty,
    };
}

/// <summary>One page of a scan: the records kept, how many rows were read, and the last id read (where the next page starts).</summary>
internal sealed record ChunkPage(List<ChunkRecord> Kept, int RowsRead, long LastId);
