using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.Telemetry.Outbox;

/// <summary>
/// The durable, ordered outbox (<c>outbox.db</c>, the one owner of that file). Every record is written here
/// before anything tries to send it, and deleted only after the broker acknowledged it. Bounded by bytes and
/// by age: the oldest records go first, and what was dropped is counted, then reported as an event itself.
/// Writes are local disk only, never the network, so the request path may call <see cref="Append"/>; a full disk
/// drops the record (counted, and shown in <see cref="State"/>) instead of failing the caller, and appends resume by
/// themselves once there is space.
/// </summary>
public sealed class OutboxStore : IDisposable
{
    // What a record costs beyond its data and kind: row, index and id overhead, roughly.
    private const int RecordOverheadBytes = 64;
    private const string SizeReason = "size";
    private const string AgeReason = "age";
    private const string DiskFullReason = "disk_full";
    private const int SqliteFull = 13;

    private readonly SqliteConnection _connection;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _appended = new(0, 1);
    private long _bytes;
    private long _records;
    private long _droppedDiskFull;
    private DateTimeOffset? _diskFullSince;

    public OutboxStore(string path, long maxBytes, TimeSpan maxAge, TimeProvider time)
    {
        _maxBytes = maxBytes;
        _maxAge = maxAge;
        _time = time;
        _connection = OutboxSchema.Open(path);
        using var command = Command("SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM records");
        using var reader = command.ExecuteReader();
        reader.Read();
        _records = reader.GetInt64(0);
        _bytes = reader.GetInt64(1);
    }

    /// <summary>
    /// Writes one record (at the end) and returns its id; drops the oldest when that makes the outbox too big. When the
    /// disk is full the record is dropped and counted (reason <c>disk_full</c>) and its id still returned: telemetry
    /// never fails the code that records it.
    /// </summary>
    public string Append(OutboxStream stream, string kind, string jsonData)
    {
        string id;
        lock (_gate)
        {
            var (records, bytes) = (_records, _bytes);
            try
            {
                using var transaction = _connection.BeginTransaction();
                id = Insert(stream, kind, jsonData, transaction);
                transaction.Commit();
                _diskFullSince = null;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteFull)
            {
                // The transaction rolled back: the counts go back to what the file holds.
                (_records, _bytes) = (records, bytes);
                _droppedDiskFull++;
                _diskFullSince ??= _time.GetUtcNow();
                TelemetryMetrics.RecordsDropped(1, DiskFullReason);
                return Guid.CreateVersion7().ToString("N");
            }
        }

        Signal();
        return id;
    }

    /// <summary>True when a record was appended since the last wait; false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitForAppendAsync(TimeSpan timeout, CancellationToken cancellationToken) => _appended.WaitAsync(timeout, cancellationToken);

    /// <summary>The oldest records, in order, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<OutboxRecord> ReadOldest(int max)
    {
        lock (_gate)
        {
            using var command = Command("SELECT seq, id, stream, kind, created_ms, data FROM records ORDER BY seq LIMIT $max");
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            var records = new List<OutboxRecord>();
            while (reader.Read())
            {
                records.Add(new OutboxRecord(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    (OutboxStream)reader.GetInt32(2),
                    reader.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                    reader.GetString(5)));
            }

            return records;
        }
    }

    /// <summary>Deletes the records the broker acknowledged: every one up to and including <paramref name="seq"/>.</summary>
    public void Acknowledge(long seq)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            Delete("DELETE FROM records WHERE seq <= $value RETURNING bytes", seq, reason: null, transaction);
            transaction.Commit();
        }
    }

    /// <summary>Drops the records older than <c>OutboxMaxAge</c>, counting them; returns how many.</summary>
    public long DropExpired()
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var cutoff = (_time.GetUtcNow() - _maxAge).ToUnixTimeMilliseconds();
            var dropped = Delete("DELETE FROM records WHERE created_ms < $value RETURNING bytes", cutoff, AgeReason, transaction);
            transaction.Commit();
            return dropped;
        }
    }

    /// <summary>
    /// Turns the drops not yet reported into one <c>outbox.dropped</c> event at the end of the outbox (in the
    /// same transaction that marks them reported, so a crash neither loses nor doubles the count). Null when
    /// nothing was dropped since the last report.
    /// </summary>
    public string? AppendDropReport()
    {
        string id;
        lock (_gate)
        {
            var counts = new Dictionary<string, long>();
            using (var command = Command("SELECT reason, unreported FROM drops WHERE unreported > 0"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            if (counts.Count == 0)
            {
                return null;
            }

            var json = $$"""{"size":{{counts.GetValueOrDefault(SizeReason)}},"age":{{counts.GetValueOrDefault(AgeReason)}}}""";
            using var transaction = _connection.BeginTransaction();
            using (var reset = Command("UPDATE drops SET unreported = 0", transaction))
            {
                reset.ExecuteNonQuery();
            }

            id = Insert(OutboxStream.Events, "outbox.dropped", json, transaction);
            transaction.Commit();
        }

        Signal();
        return id;
    }

    public OutboxState State()
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT (SELECT MIN(created_ms) FROM records WHERE seq = (SELECT MIN(seq) FROM records)),
                       (SELECT COALESCE(SUM(total), 0) FROM drops WHERE reason = 'size'),
                       (SELECT COALESCE(SUM(total), 0) FROM drops WHERE reason = 'age'),
                       (SELECT COALESCE(SUM(unreported), 0) FROM drops)
                """);
            using var reader = command.ExecuteReader();
            reader.Read();
            DateTimeOffset? oldest = reader.IsDBNull(0) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0));
            return new OutboxState(_records, _bytes, oldest, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), _droppedDiskFull, _diskFullSince);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }

        _appended.Dispose();
    }

    private string Insert(OutboxStream stream, string kind, string jsonData, SqliteTransaction transaction)
    {
        var id = Guid.CreateVersion7().ToString("N");
        var bytes = RecordOverheadBytes + Encoding.UTF8.GetByteCount(kind) + Encoding.UTF8.GetByteCount(jsonData);
        using (var insert = Command("INSERT INTO records (id, stream, kind, created_ms, data, bytes) VALUES ($id, $stream, $kind, $created, $data, $bytes)", transaction))
        {
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$stream", (int)stream);
            insert.Parameters.AddWithValue("$kind", kind);
            insert.Parameters.AddWithValue("$created", _time.GetUtcNow().ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$data", jsonData);
            insert.Parameters.AddWithValue("$bytes", bytes);
            insert.ExecuteNonQuery();
        }

        _records++;
        _bytes += bytes;
        if (_bytes > _maxBytes)
        {
            DropOldestUntilUnder(_maxBytes, transaction);
        }

        return id;
    }

    private void Signal()
    {
        if (_appended.CurrentCount == 0)
        {
            try
            {
                _appended.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another writer signalled first; one wake-up is enough.
            }
        }
    }

    private void DropOldestUntilUnder(long limit, SqliteTransaction transaction)
    {
        // Walk from the oldest, summing sizes, to find the last record that must go; then delete in one statement.
        using var scan = Command("SELECT seq, bytes FROM records ORDER BY seq", transaction);
        using var reader = scan.ExecuteReader();
        var excess = _bytes - limit;
        long through = -1;
        while (excess > 0 && reader.Read())
        {
            through = reader.GetInt64(0);
            excess -= reader.GetInt64(1);
        }

        reader.Close();
        if (through >= 0)
        {
            Delete("DELETE FROM records WHERE seq <= $value RETURNING bytes", through, SizeReason, transaction);
        }
    }

    private long Delete(string sql, long value, string? reason, SqliteTransaction transaction)
    {
        long count = 0;
        long bytes = 0;
        using (var delete = Command(sql, transaction))
        {
            delete.Parameters.AddWithValue("$value", value);
            using var reader = delete.ExecuteReader();
            while (reader.Read())
            {
                count++;
                bytes += reader.GetInt64(0);
            }
        }

        _records -= count;
        _bytes -= bytes;
        if (reason is not null && count > 0)
        {
            using var counted = Command("INSERT INTO drops (reason, total, unreported) VALUES ($reason, $count, $count) ON CONFLICT (reason) DO UPDATE SET total = total + $count, unreported = unreported + $count", transaction);
            counted.Parameters.AddWithValue("$reason", reason);
            counted.Parameters.AddWithValue("$count", count);
            counted.ExecuteNonQuery();
            TelemetryMetrics.RecordsDropped(count, reason);
        }

        return count;
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
