using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using EdgeLlm.Retrieval.Ingestion;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// The floor an ingest cannot beat: the same documents' paragraphs, cut into the same number of pieces,
/// inserted with their vectors into one plain SQLite table per document transaction, no parsing, no FTS.
/// </summary>
internal static class IngestBaseline
{
    public static double Measure(string path, IReadOnlyList<byte[]> documents, ITokenCounter counter)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE chunks (id INTEGER PRIMARY KEY, document TEXT, text TEXT, vector BLOB);";
            setup.ExecuteNonQuery();
        }

        var vector = MemoryMarshal.AsBytes(new float[384].AsSpan()).ToArray();
        var chunks = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var d = 0; d < documents.Count; d++)
        {
            var paragraphs = Encoding.UTF8.GetString(documents[d]).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(p => counter.CountTokens(p) > 8).ToList();
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO chunks (document, text, vector) VALUES ($d, $t, $v)";
            insert.Parameters.AddWithValue("$d", "doc" + d);
            var text = insert.Parameters.Add("$t", SqliteType.Text);
            insert.Parameters.AddWithValue("$v", vector);
            foreach (var paragraph in paragraphs)
            {
                text.Value = paragraph;
                insert.ExecuteNonQuery();
                chunks++;
            }

            transaction.Commit();
        }

        return chunks / stopwatch.Elapsed.TotalSeconds;
    }
}
