using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Store;

/// <summary>
/// Ingest jobs, durable from the moment the API acknowledges them: the uploaded bytes are committed with the
/// job, so a job accepted before a crash is resumed after the restart. A job's payload is dropped when it ends.
/// </summary>
public sealed class IngestJobStore(RetrievalDatabase database, IOptions<RetrievalOptions> options, TimeProvider time)
{
    private const string SelectColumns =
        "SELECT id, collection_id, document_id, status, file_name, content_type, title, source, tags, total_chunks, done_chunks, error_code, error_message, created_at, updated_at, tenant FROM ingest_jobs";

    /// <summary>
    /// Queues one job per document with its bytes, all or none; null when that many would exceed the pending limit,
    /// over all tenants or for this one (so one tenant's flood cannot fill the whole queue).
    /// </summary>
    public Task<IReadOnlyList<IngestJob>?> EnqueueAsync(string tenant, IReadOnlyList<IngestRequest> requests, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<IngestJob>?>((connection, transaction) =>
        {
            using (var pending = connection.Command(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE tenant = $tenant) FROM ingest_jobs WHERE status IN ('queued', 'running')", transaction, ("$tenant", tenant)))
            using (var reader = pending.ExecuteReader())
            {
                reader.Read();
                if (reader.GetInt64(0) + requests.Count > options.Value.MaxPendingIngests || reader.GetInt64(1) + requests.Count > options.Value.MaxPendingIngestsPerTenant)
                {
                    return null;
                }
            }

            var now = time.GetUtcNow();
            var queued = new List<IngestJob>(requests.Count);
            foreach (var request in requests)
            {
                var id = StoreIds.NewJobId();
                using var insert = connection.Command(
                    """
                    INSERT INTO ingest_jobs (id, tenant, collection_id, document_id, status, file_name, content_type, title, source, tags, payload, created_at, updated_at)
                    VALUES ($id, $tenant, $c, $d, 'queued', $file, $type, $title, $source, $tags, $payload, $now, $now)
                    """,
                    transaction,
                    ("$id", id), ("$tenant", tenant), ("$c", request.CollectionId), ("$d", request.DocumentId), ("$file", request.FileName), ("$type", request.ContentType),
                    ("$title", request.Title), ("$source", request.Source), ("$tags", JsonSerializer.Serialize(request.Tags)), ("$payload", request.Content),
                    ("$now", SqliteCommands.UnixMilliseconds(now)));
                insert.ExecuteNonQuery();
                queued.Add(new IngestJob(id, request.CollectionId, request.DocumentId, IngestJobStatus.Queued, request.FileName, request.ContentType, request.Title,
                    request.Source, request.Tags, 0, 0, null, null, now, now, tenant));
            }

            return queued;
        }, cancellationToken);

    /// <summary>The job, if it belongs to a collection of this tenant.</summary>
    public IngestJob? Find(string tenant, string collectionId, string jobId)
    {
        using var connection = database.Open();
        using var command = connection.Command(SelectColumns + " WHERE id = $id AND tenant = $tenant AND collection_id = $c", null, ("$id", jobId), ("$tenant", tenant), ("$c", collectionId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>The oldest queued job with its payload, marked running; null when none waits.</summary>
    public Task<(IngestJob Job, byte[] Content)?> TakeNextAsync(CancellationToken cancellationToken) => TakeNextAsync([], null, cancellationToken);

    /// <summary>
    /// The next queued job in round-robin order over tenants, marked running: the oldest job of the first tenant
    /// after <paramref name="afterTenant"/> (by name, wrapping round) that is not in <paramref name="busyTenants"/>.
    /// Null when no other tenant has a job waiting.
    /// </summary>
    public Task<(IngestJob Job, byte[] Content)?> TakeNextAsync(IReadOnlyCollection<string> busyTenants, string? afterTenant, CancellationToken cancellationToken) =>
        database.WriteAsync<(IngestJob, byte[])?>((connection, transaction) =>
        {
            using var select = connection.Command(
                SelectColumns.Replace("FROM", ", payload FROM", StringComparison.Ordinal)
                + " WHERE status = 'queued' AND tenant NOT IN (SELECT value FROM json_each($busy)) ORDER BY tenant <= $after, tenant, created_at, rowid LIMIT 1",
                transaction, ("$busy", JsonSerializer.Serialize(busyTenants)), ("$after", afterTenant ?? ""));
            IngestJob job;
            byte[] content;
            using (var reader = select.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                job = Read(reader);
                content = (byte[])reader.GetValue(16);
            }

            using var update = connection.Command("UPDATE ingest_jobs SET status = 'running', updated_at = $now WHERE id = $id", transaction,
                ("$id", job.Id), ("$now", SqliteCommands.UnixMilliseconds(time.GetUtcNow())));
            update.ExecuteNonQuery();
            return (job with { Status = IngestJobStatus.Running }, content);
        }, cancellationToken);

    /// <summary>The job's status now; null when it is gone (its collection was deleted).</summary>
    public string? Status(string jobId)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT status FROM ingest_jobs WHERE id = $id", null, ("$id", jobId));
        return command.ExecuteScalar() as string;
    }

    /// <summary>Puts jobs that were running when the daemon stopped back in the queue.</summary>
    public Task<int> RequeueInterruptedAsync(CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var update = connection.Command("UPDATE ingest_jobs SET status = 'queued', done_chunks = 0 WHERE status = 'running'", transaction);
            return update.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>
    /// Puts one running job back in the queue to be tried again later (its embedding model was busy or still
    /// loading); after <paramref name="maxAttempts"/> tries it fails instead, so one poisoned job cannot
    /// occupy the worker forever. True when the job was requeued.
    /// </summary>
    public Task<bool> RequeueAsync(string jobId, int maxAttempts, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            var now = SqliteCommands.UnixMilliseconds(time.GetUtcNow());
            using var requeue = connection.Command(
                "UPDATE ingest_jobs SET status = 'queued', attempts = attempts + 1, done_chunks = 0, updated_at = $now WHERE id = $id AND status = 'running' AND attempts + 1 < $max",
                transaction, ("$id", jobId), ("$now", now), ("$max", maxAttempts));
            if (requeue.ExecuteNonQuery() > 0)
            {
                return true;
            }

            using var fail = connection.Command(
                "UPDATE ingest_jobs SET status = 'failed', error_code = 'ingest_failed', error_message = $reason, payload = NULL, updated_at = $now WHERE id = $id AND status = 'running'",
                transaction, ("$id", jobId), ("$now", now), ("$reason", $"Gave up after {maxAttempts} attempts: {reason}"));
            fail.ExecuteNonQuery();
            return false;
        }, cancellationToken);

    /// <summary>
    /// Leaves no copy of the payloads dropped so far in the WAL (secure_delete already overwrote them in the file). The
    /// worker calls it when its queue runs empty: while jobs wait their payloads are in the file by design, and one
    /// checkpoint per drained queue costs ingestion nothing measurable, where one per job cost a third of it.
    /// </summary>
    public Task EraseDroppedPayloadsAsync(CancellationToken cancellationToken) => database.TruncateLogAsync(cancellationToken);

    /// <summary>Records how many chunks the job makes, without a durable write of its own (it rides on the next commit).</summary>
    public void ReportTotal(string jobId, int totalChunks)
    {
        using var connection = database.Open();
        RetrievalDatabase.Execute(connection, "PRAGMA synchronous = NORMAL;");
        using var update = connection.Command("UPDATE ingest_jobs SET total_chunks = $total WHERE id = $id", null, ("$id", jobId), ("$total", totalChunks));
        update.ExecuteNonQuery();
    }

    public void ReportProgress(string jobId, int totalChunks, int doneChunks)
    {
        // Progress is advisory: written outside the writer lock without an fsync of its own (the next durable
        // commit carries it to disk), last write wins, nothing depends on it.
        using var connection = database.Open();
        RetrievalDatabase.Execute(connection, "PRAGMA synchronous = NORMAL;");
        using var update = connection.Command("UPDATE ingest_jobs SET total_chunks = $total, done_chunks = $done, updated_at = $now WHERE id = $id", null,
            ("$id", jobId), ("$total", totalChunks), ("$done", doneChunks), ("$now", SqliteCommands.UnixMilliseconds(time.GetUtcNow())));
        update.ExecuteNonQuery();
    }

    /// <summary>Ends the job (succeeded, or failed with a stable code) and drops its payload (overwritten in the file; see <see cref="EraseDroppedPayloadsAsync"/>).</summary>
    public Task FinishAsync(string jobId, string? errorCode, string? errorMessage, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var update = connection.Command(
                "UPDATE ingest_jobs SET status = $status, error_code = $code, error_message = $message, payload = NULL, updated_at = $now WHERE id = $id",
                transaction,
                ("$id", jobId), ("$status", errorCode is null ? IngestJobStatus.Succeeded : IngestJobStatus.Failed), ("$code", errorCode), ("$message", errorMessage),
                ("$now", SqliteCommands.UnixMilliseconds(time.GetUtcNow())));
            return update.ExecuteNonQuery();
        }, cancellationToken);

    private static IngestJob Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        JsonSerializer.Deserialize<string[]>(reader.GetString(8)) ?? [],
        reader.GetInt32(9),
        reader.GetInt32(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : reader.GetString(12),
        SqliteCommands.FromUnixMilliseconds(reader.GetInt64(13)),
        SqliteCommands.FromUnixMilliseconds(reader.GetInt64(14)),
        reader.GetString(15));
}

/// <summary>What to ingest: the document's bytes and metadata.</summary>
public sealed record IngestRequest(string CollectionId, string DocumentId, string? FileName, string? ContentType, string? Title, string? Source, IReadOnlyList<string> Tags, byte[] Content);

/// <summary>An ingest job and its progress.</summary>
public sealed record IngestJob(
    string Id,
    string CollectionId,
    string DocumentId,
    string Status,
    string? FileName,
    string? ContentType,
    string? Title,
    string? Source,
    IReadOnlyList<string> Tags,
    int TotalChunks,
    int DoneChunks,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Tenant);

/// <summary>The states of an ingest job.</summary>
public static class IngestJobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>Its document or collection was deleted before it finished; it left nothing behind.</summary>
    public const string Cancelled = "cancelled";
}
