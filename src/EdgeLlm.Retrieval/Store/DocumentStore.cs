using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Store;

/// <summary>
/// Documents and their chunks. A document is written in one transaction with all its chunks, vectors and
/// full-text rows, replacing any previous version, so a reader (or a restart after a crash) sees either
/// the whole old document, the whole new one, or none.
/// </summary>
public sealed class DocumentStore(RetrievalDatabase database, TimeProvider time)
{
    private const string SelectColumns =
        "SELECT collection_id, id, title, source, content_type, tags, bytes, sha256, chunk_count, created_at, updated_at FROM documents";

    /// <summary>Writes the document and its chunks, replacing a previous version. Returns the ids of the chunks removed and added.</summary>
    public Task<DocumentWrite> ReplaceAsync(DocumentInfo document, IReadOnlyList<ChunkToStore> chunks, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => Write(connection, transaction, document, chunks), cancellationToken);

    /// <summary>
    /// Writes the document and its chunks as <see cref="ReplaceAsync"/> does and marks job <paramref name="jobId"/>
    /// succeeded with its chunk counts in the same transaction (so a committed document and its finished job are one fact,
    /// even when the advisory progress writes were skipped on a full disk); only while
    /// the job is still running. Null, with nothing written, when it is not: its document or collection was deleted
    /// meanwhile, and must not come back.
    /// </summary>
    public Task<DocumentWrite?> CommitIngestAsync(string jobId, DocumentInfo document, IReadOnlyList<ChunkToStore> chunks, CancellationToken cancellationToken) =>
        database.WriteAsync<DocumentWrite?>((connection, transaction) =>
        {
            using var finish = connection.Command(
                "UPDATE ingest_jobs SET status = 'succeeded', total_chunks = $chunks, done_chunks = $chunks, payload = NULL, updated_at = $now WHERE id = $id AND status = 'running'",
                transaction, ("$id", jobId), ("$chunks", chunks.Count), ("$now", SqliteCommands.UnixMilliseconds(time.GetUtcNow())));
            return finish.ExecuteNonQuery() == 0 ? null : Write(connection, transaction, document, chunks);
        }, cancellationToken);

    /// <summary>
    /// Deletes the document and everything it owned, and cancels its queued and running ingest jobs (in the same
    /// transaction, so none of them can write it back). The removed chunk ids; null when there was neither such a
    /// document nor a job for it.
    /// </summary>
    public Task<IReadOnlyList<long>?> DeleteAsync(string collectionId, string documentId, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<long>?>((connection, transaction) =>
        {
            var removed = ChunkIds(connection, transaction, collectionId, documentId);
            using var cancel = connection.Command(
                """
                UPDATE ingest_jobs SET status = 'cancelled', error_code = 'document_deleted', error_message = 'The document was deleted before it was ingested.',
                    payload = NULL, updated_at = $now
                WHERE collection_id = $c AND document_id = $d AND status IN ('queued', 'running')
                """,
                transaction, ("$c", collectionId), ("$d", documentId), ("$now", SqliteCommands.UnixMilliseconds(time.GetUtcNow())));
            var cancelled = cancel.ExecuteNonQuery();
            using var delete = connection.Command("DELETE FROM documents WHERE collection_id = $c AND id = $d", transaction, ("$c", collectionId), ("$d", documentId));
            return delete.ExecuteNonQuery() > 0 || cancelled > 0 ? removed : null;
        }, cancellationToken, truncateLog: true);

    public DocumentInfo? Find(string collectionId, string documentId)
    {
        using var connection = database.Open();
        using var command = connection.Command(SelectColumns + " WHERE collection_id = $c AND id = $d", null, ("$c", collectionId), ("$d", documentId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>A page of the collection's documents in id order, starting after <paramref name="after"/>.</summary>
    public IReadOnlyList<DocumentInfo> List(string collectionId, string? after, int limit)
    {
        using var connection = database.Open();
        using var command = connection.Command(SelectColumns + " WHERE collection_id = $c AND id > $after ORDER BY id LIMIT $limit", null,
            ("$c", collectionId), ("$after", after ?? ""), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var documents = new List<DocumentInfo>();
        while (reader.Read())
        {
            documents.Add(Read(reader));
        }

        return documents;
    }

    /// <summary>The document's chunks in order, without vectors.</summary>
    public IReadOnlyList<StoredChunk> Chunks(string collectionId, string documentId)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            "SELECT id, document_id, ordinal, text, heading, start_offset, end_offset FROM chunks WHERE collection_id = $c AND document_id = $d ORDER BY ordinal",
            null, ("$c", collectionId), ("$d", documentId));
        return ChunkReader.ReadAll(command);
    }

    private DocumentWrite Write(SqliteConnection connection, SqliteTransaction transaction, DocumentInfo document, IReadOnlyList<ChunkToStore> chunks)
    {
        var removed = ChunkIds(connection, transaction, document.CollectionId, document.Id);
        var now = SqliteCommands.UnixMilliseconds(time.GetUtcNow());
        using (var delete = connection.Command("DELETE FROM chunks WHERE collection_id = $c AND document_id = $d", transaction, ("$c", document.CollectionId), ("$d", document.Id)))
        {
            delete.ExecuteNonQuery();
        }

        using (var upsert = connection.Command(
            """
            INSERT INTO documents (collection_id, id, title, source, content_type, tags, bytes, sha256, chunk_count, created_at, updated_at)
            VALUES ($c, $d, $title, $source, $type, $tags, $bytes, $sha, $count, $now, $now)
            ON CONFLICT (collection_id, id) DO UPDATE SET title = $title, source = $source, content_type = $type, tags = $tags,
                bytes = $bytes, sha256 = $sha, chunk_count = $count, updated_at = $now
            """,
            transaction,
            ("$c", document.CollectionId), ("$d", document.Id), ("$title", document.Title), ("$source", document.Source), ("$type", document.ContentType),
            ("$tags", JsonSerializer.Serialize(document.Tags)), ("$bytes", document.Bytes), ("$sha", document.Sha256), ("$count", chunks.Count), ("$now", now)))
        {
            upsert.ExecuteNonQuery();
        }

        var added = new List<long>(chunks.Count);
        using var insert = connection.Command(
            """
            INSERT INTO chunks (collection_id, document_id, ordinal, text, heading, start_offset, end_offset, tokens, vector)
            VALUES ($c, $d, $ordinal, $text, $heading, $start, $end, $tokens, $vector) RETURNING id
            """,
            transaction,
            ("$c", document.CollectionId), ("$d", document.Id), ("$ordinal", 0), ("$text", ""), ("$heading", ""), ("$start", 0), ("$end", 0), ("$tokens", 0), ("$vector", Array.Empty<byte>()));
        foreach (var chunk in chunks)
        {
            insert.Parameters["$ordinal"].Value = chunk.Ordinal;
            insert.Parameters["$text"].Value = chunk.Text;
            insert.Parameters["$heading"].Value = chunk.Heading;
            insert.Parameters["$start"].Value = chunk.Start;
            insert.Parameters["$end"].Value = chunk.End;
            insert.Parameters["$tokens"].Value = chunk.Tokens;
            insert.Parameters["$vector"].Value = SqliteCommands.ToBlob(chunk.Vector);
            added.Add((long)insert.ExecuteScalar()!);
        }

        return new DocumentWrite(removed, added);
    }

    private static List<long> ChunkIds(SqliteConnection connection, SqliteTransaction transaction, string collectionId, string documentId)
    {
        using var command = connection.Command("SELECT id FROM chunks WHERE collection_id = $c AND document_id = $d", transaction, ("$c", collectionId), ("$d", documentId));
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static DocumentInfo Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetString(4),
        JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? [],
        reader.GetInt64(6),
        reader.GetString(7),
        reader.GetInt32(8),
        SqliteCommands.FromUnixMilliseconds(reader.GetInt64(9)),
        SqliteCommands.FromUnixMilliseconds(reader.GetInt64(10)));
}

/// <summary>The chunk ids a document write removed and added, for the in-memory vector index.</summary>
public sealed record DocumentWrite(IReadOnlyList<long> Removed, IReadOnlyList<long> Added);
