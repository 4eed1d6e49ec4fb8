using Microsoft.Data.Sqlite;

namespace EdgeLlm.Telemetry.Outbox;

/// <summary>Opens <c>outbox.db</c>: WAL, and the tables created when missing.</summary>
internal static class OutboxSchema
{
    // synchronous=NORMAL: in WAL mode it survives a killed process (the case that matters for at-least-once);
    // a power cut may lose the last few samples, which telemetry can afford and the write rate cannot.
    private const string Setup = """
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=NORMAL;
        CREATE TABLE IF NOT EXISTS records (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL,
            stream INTEGER NOT NULL,
            kind TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            data TEXT NOT NULL,
            bytes INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS drops (
            reason TEXT PRIMARY KEY,
            total INTEGER NOT NULL,
            unreported INTEGER NOT NULL);
        """;

    public static SqliteConnection Open(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Setup;
        command.ExecuteNonQuery();
        return connection;
    }
}
