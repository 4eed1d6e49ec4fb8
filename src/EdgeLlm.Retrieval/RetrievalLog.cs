using Microsoft.Extensions.Logging;

namespace EdgeLlm.Retrieval;

/// <summary>Log events of retrieval: event ids 4000-4999. Document and query text are never logged above Debug.</summary>
internal static partial class RetrievalLog
{
    [LoggerMessage(4000, LogLevel.Information, "Resumed {Jobs} ingest jobs interrupted by the last stop")]
    public static partial void IngestsResumed(ILogger logger, int jobs);

    [LoggerMessage(4001, LogLevel.Information, "Ingested document {DocumentId} into collection {CollectionId}: {Chunks} chunks in {ElapsedMs} ms")]
    public static partial void DocumentIngested(ILogger logger, string documentId, string collectionId, int chunks, long elapsedMs);

    [LoggerMessage(4002, LogLevel.Warning, "Ingest job {JobId} refused document {DocumentId}: {Code}: {Reason}")]
    public static partial void DocumentRefused(ILogger logger, string jobId, string documentId, string code, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Ingest job {JobId} will be retried: the embedding model is not available")]
    public static partial void EmbeddingRetry(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(4004, LogLevel.Error, "Ingest job {JobId} failed")]
    public static partial void IngestFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(4005, LogLevel.Information, "Ingest job {JobId} cancelled: document {DocumentId} or its collection was deleted")]
    public static partial void IngestCancelled(ILogger logger, string jobId, string documentId);

    [LoggerMessage(4006, LogLevel.Warning, "Ingestion paused: the disk is full; retrying every {RetryInterval} without losing work")]
    public static partial void IngestStorageFull(ILogger logger, TimeSpan retryInterval, Exception exception);

    [LoggerMessage(4007, LogLevel.Information, "Ingestion resumed: the disk has space again")]
    public static partial void IngestStorageReturned(ILogger logger);
}
