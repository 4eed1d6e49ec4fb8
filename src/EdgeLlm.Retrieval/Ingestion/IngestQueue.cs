using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>Accepts ingest jobs (durably, with their bytes) and wakes the worker.</summary>
public sealed class IngestQueue(IngestJobStore jobs)
{
    private readonly SemaphoreSlim _queued = new(0, int.MaxValue);

    /// <summary>The queued jobs (all or none), or null when too many are waiting already.</summary>
    public async Task<IReadOnlyList<IngestJob>?> EnqueueAsync(string tenant, IReadOnlyList<IngestRequest> requests, CancellationToken cancellationToken)
    {
        var queued = await jobs.EnqueueAsync(tenant, requests, cancellationToken);
        if (queued is not null)
        {
            _queued.Release(queued.Count);
        }

        return queued;
    }

    /// <summary>Waits until a job may be waiting, or the timeout passes (a job requeued for retry is found by the timeout).</summary>
    internal Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _queued.WaitAsync(timeout, cancellationToken);
}
