using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Store;

/// <summary>Reads chunk rows selected as (id, document_id, ordinal, text, heading, start_offset, end_offset).</summary>
internal static class ChunkReader
{
    public static List<StoredChunk> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var chunks = new List<StoredChunk>();
        while (reader.Read())
        {
            chunks.Add(new StoredChunk(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6)));
        }

        return chunks;
    }
}
