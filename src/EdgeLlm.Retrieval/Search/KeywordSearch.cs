using System.Text;
using EdgeLlm.Retrieval.Store;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Search;

/// <summary>
/// BM25 over the FTS5 index. The user's text never reaches FTS5's query language as syntax: it is cut into
/// words and each is quoted, then OR-ed, so quotes, NEAR, column filters or a stray '*' are just text.
/// </summary>
internal static class KeywordSearch
{
    private const int MaxTerms = 32;

    /// <summary>Chunk ids best first; empty when the text holds no searchable word.</summary>
    public static List<long> Search(SqliteConnection connection, string collectionId, string text, SearchFilter? filter, int limit)
    {
        var match = MatchExpression(text);
        if (match is null)
        {
            return [];
        }

        // First the best matches over the whole index (as cheap as FTS5 gets), narrowed to this collection and
        // filter. That answer is exact when enough of them qualify, or when the index has no more matches than
        // that; only otherwise are all matches joined and ranked.
        var wide = limit * 8;
        var top = Ids(connection, "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH $match ORDER BY rank LIMIT $wide", ("$match", match), ("$wide", wide));
        var ranked = Narrow(connection, collectionId, filter, top, limit);
        return ranked.Count == limit || top.Count < wide ? ranked : Everything(connection, collectionId, match, filter, limit);
    }

    private static List<long> Narrow(SqliteConnection connection, string collectionId, SearchFilter? filter, List<long> ranked, int limit)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        var where = ChunkFilterSql.Where(command, collectionId, filter);
        command.CommandText = $"SELECT k.id {ChunkFilterSql.FromDrivenBy("json_each($ids) j", "j.value")} {where} ORDER BY j.key LIMIT $limit";
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ranked));
        command.Parameters.AddWithValue("$limit", limit);
        return Read(command);
    }

    private static List<long> Everything(SqliteConnection connection, string collectionId, string match, SearchFilter? filter, int limit)
    {
        using var command = connection.CreateCommand();
        var where = ChunkFilterSql.Where(command, collectionId, filter);
        command.CommandText = $"""
            SELECT k.id {ChunkFilterSql.FromDrivenBy("chunks_fts", "chunks_fts.rowid")}
            {where} AND chunks_fts MATCH $match ORDER BY chunks_fts.rank LIMIT $limit
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        return Read(command);
    }

    private static List<long> Ids(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.Command(sql, null, parameters);
        return Read(command);
    }

    private static List<long> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    internal static string? MatchExpression(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in (text + " ").EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(rune.ToString());
                continue;
            }

            if (word.Length > 0 && terms.Count < MaxTerms)
            {
                terms.Add("\"" + word + "\"");
            }

            word.Clear();
        }

        return terms.Count == 0 ? null : string.Join(" OR ", terms.Distinct(StringComparer.OrdinalIgnoreCase));
    }
}
