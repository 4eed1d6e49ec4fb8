using Microsoft.Data.Sqlite;

namespace EdgeLlm.Retrieval.Store;

/// <summary>
/// The tables of retrieval.db. Chunk ids are the FTS rowids and the vector ids, so the three always agree, and
/// they are never reused (AUTOINCREMENT): a chunk id a client kept from a citation cannot later name other text.
/// </summary>
internal static class RetrievalSchema
{
    private const string Version1 = """
        CREATE TABLE collections (
            id TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT,
            embedding_model TEXT NOT NULL,
            dimensions INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant, name));

        CREATE TABLE documents (
            collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            title TEXT,
            source TEXT,
            content_type TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            chunk_count INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (collection_id, id));

        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            collection_id TEXT NOT NULL,
            document_id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            heading TEXT NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            vector BLOB NOT NULL,
            FOREIGN KEY (collection_id, document_id) REFERENCES documents(collection_id, id) ON DELETE CASCADE);
        CREATE INDEX chunks_by_document ON chunks (collection_id, document_id, ordinal);

        CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content = 'chunks', content_rowid = 'id', tokenize = 'porter unicode61');
        CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;

        CREATE TABLE ingest_jobs (
            id TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            document_id TEXT NOT NULL,
            status TEXT NOT NULL,
            file_name TEXT,
            content_type TEXT,
            title TEXT,
            source TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            payload BLOB,
            total_chunks INTEGER NOT NULL DEFAULT 0,
            done_chunks INTEGER NOT NULL DEFAULT 0,
            error_code TEXT,
            error_message TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE INDEX ingest_jobs_pending ON ingest_jobs (status, created_at);

        CREATE TABLE vector_index_state (
            collection_id TEXT PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
            state BLOB NOT NULL,
            chunk_count INTEGER NOT NULL);
        """;

    public static void Apply(SqliteConnection connection, int version)
    {
        RetrievalDatabase.Execute(connection, "PRAGMA journal_mode = WAL;");
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current == version)
        {
            return;
        }

        if (current > version)
        {
            throw new InvalidOperationException($"retrieval.db has schema version {current}; this daemon knows only up to {version}. Run the newer daemon or restore a backup.");
        }

        using var transaction = connection.BeginTransaction();
        RetrievalDatabase.Execute(connection, Version1, transaction);
        RetrievalDatabase.Execute(connection, $"PRAGMA user_version = {version};", transaction);
        transaction.Commit();
    }
}
