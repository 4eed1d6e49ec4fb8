using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Ingestion.Chunking;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// The floor an ingest cannot beat: the very chunks the pipeline makes of the same documents (cut before the
/// clock starts), inserted with their vectors into one plain SQLite table, one transaction per document, with
/// the same durability (WAL, synchronous=FULL); no parsing, no chunking, no FTS, no job bookkeeping.
/// </summary>
internal static class IngestBaseline
{
    public static double Measure(string path, IReadOnlyList<byte[]> documents, ITokenCounter counter)
    {
        var parsers = new DocumentParsers();
        var chunker = new DocumentChunker(counter);
        var chunked = documents
            .Select(d => chunker.Chunk(((DocumentParseResult.Parsed)parsers.Parse(d, "text/markdown", null)).Document).Select(c => c.Text).ToList())
            .ToList();
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
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO chunks (document, text, vector) VALUES ($d, $t, $v)";
            insert.Parameters.AddWithValue("$d", "doc" + d);
            var text = insert.Parameters.Add("$t", SqliteType.Text);
            insert.Parameters.AddWithValue("$v", vector);
            foreach (var chunk in chunked[d])
            {
                text.Value = chunk;
                insert.ExecuteNonQuery();
                chunks++;
            }

            transaction.Commit();
        }

        return chunks / stopwatch.Elapsed.TotalSeconds;
    }
}
