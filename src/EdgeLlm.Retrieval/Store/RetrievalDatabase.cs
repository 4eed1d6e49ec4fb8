using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Store;

/// <summary>
/// The retrieval SQLite file: opens pooled connections with the pragmas every connection needs, creates or
/// upgrades the schema, and serialises writers (SQLite allows one writer; queueing here beats busy retries).
/// <para>
/// Durability: WAL with <c>synchronous=FULL</c>. NORMAL would already survive a killed process, but in WAL
/// mode it may lose the last commits on a power cut, and an ingest the API acknowledged must survive that
/// too. Ingest commits are few and large, so the extra fsync per commit costs little.
/// </para>
/// </summary>
public sealed class RetrievalDatabase
{
    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _schemaGate = new();
    private bool _schemaReady;

    public RetrievalDatabase(IOptions<RetrievalOptions> options)
    {
        Path = System.IO.Path.GetFullPath(options.Value.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>An open connection with the per-connection pragmas set; the schema exists.</summary>
    public SqliteConnection Open()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // secure_delete: deleted content (an upload's unscreened bytes among it) is overwritten, not left in free pages.
        Execute(connection, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA secure_delete = ON;");
        if (!Volatile.Read(ref _schemaReady))
        {
            lock (_schemaGate)
            {
                if (!_schemaReady)
                {
                    RetrievalSchema.Apply(connection, SchemaVersion);
                    Volatile.Write(ref _schemaReady, true);
                }
            }
        }

        return connection;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction as the only writer; it commits only if <paramref name="write"/>
    /// returns. With <paramref name="truncateLog"/> (a write that drops content: an upload's bytes, a deleted
    /// document) the WAL is then emptied too (<see cref="TruncateLogAsync"/>).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken, bool truncateLog = false)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            using var connection = Open();
            T result;
            using (var transaction = connection.BeginTransaction())
            {
                result = write(connection, transaction);
                transaction.Commit();
            }

            if (truncateLog)
            {
                Truncate(connection);
            }

            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Copies the WAL into the database file and empties it, so no frame keeps a page's old content (secure_delete
    /// overwrites it in the file, not in earlier frames). Runs as the writer; gives up after a second when a long
    /// reader still needs old frames, which are then overwritten as the WAL is reused.
    /// </summary>
    public async Task TruncateLogAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            using var connection = Open();
            Truncate(connection);
        }
        finally
        {
            _writer.Release();
        }
    }

    private static void Truncate(SqliteConnection connection) =>
        Execute(connection, "PRAGMA busy_timeout = 1000; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA busy_timeout = 30000;");

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
