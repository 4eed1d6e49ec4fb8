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
    public static IReadOnlyList<long> Search(SqliteConnection connection, string collectionId, string text, SearchFilter? filter, int limit)
    {
        var match = MatchExpression(text);
        if (match is null)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        var where = ChunkFilterSql.Where(command, collectionId, filter);
        command.CommandText = $"""
            SELECT k.id {ChunkFilterSql.FromDrivenBy("chunks_fts", "chunks_fts.rowid")}
            {where} AND chunks_fts MATCH $match
            ORDER BY chunks_fts.rank LIMIT $limit
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
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
