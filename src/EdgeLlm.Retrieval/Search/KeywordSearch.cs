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

        // First the best matches over the whole index (as cheap as FTS5 gets), kept if enough of them are in
        // this collection; only otherwise every match is joined and ranked. Filters go straight to the full query.
        var wide = limit * 8;
        if (filter is null or { IsEmpty: true })
        {
            var top = Run(connection, collectionId, match, null, limit, wide);
            if (top.Count == limit)
            {
                return top;
            }
        }

        return Run(connection, collectionId, match, filter, limit, null);
    }

    /// <summary>The ranked ids, or an empty list; with <paramref name="widest"/>, only among that many best matches overall.</summary>
    private static List<long> Run(SqliteConnection connection, string collectionId, string match, SearchFilter? filter, int limit, int? widest)
    {
        using var command = connection.CreateCommand();
        var where = ChunkFilterSql.Where(command, collectionId, filter);
        var driver = widest is null ? "chunks_fts" : "(SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH $match ORDER BY rank LIMIT $widest) f";
        var driverId = widest is null ? "chunks_fts.rowid" : "f.rowid";
        command.CommandText = $"""
            SELECT k.id {ChunkFilterSql.FromDrivenBy(driver, driverId)}
            {where} {(widest is null ? "AND chunks_fts MATCH $match ORDER BY chunks_fts.rank" : "ORDER BY f.rank")} LIMIT $limit
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        if (widest is not null)
        {
            command.Parameters.AddWithValue("$widest", widest.Value);
        }

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
