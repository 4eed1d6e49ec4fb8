using System.Collections.Concurrent;
using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// The jobs the worker holds right now, each with its own cancellation, so that deleting a document or a
/// collection stops its embedding at once instead of when the job would have ended. The deletion itself
/// (a committed transaction) is what guarantees nothing is written back; this only frees the worker early.
/// </summary>
public sealed class RunningIngests
{
    private readonly ConcurrentDictionary<string, Entry> _running = new(StringComparer.Ordinal);

    /// <summary>Registers the job the worker has taken; its token is cancelled when the job's document or collection goes.</summary>
    internal CancellationTokenSource Start(IngestJob job)
    {
        var cancellation = new CancellationTokenSource();
        _running[job.Id] = new Entry(job.CollectionId, job.DocumentId, cancellation);
        return cancellation;
    }

    /// <summary>Forgets the job (it ended, however); its cancellation is disposed.</summary>
    internal void Finish(string jobId)
    {
        if (_running.TryRemove(jobId, out var entry))
        {
            entry.Cancellation.Dispose();
        }
    }

    /// <summary>Cancels the running jobs of one document; how many there were.</summary>
    public int CancelDocument(string collectionId, string documentId) =>
        Cancel(entry => entry.CollectionId == collectionId && entry.DocumentId == documentId);

    /// <summary>Cancels the running jobs of every document of a collection; how many there were.</summary>
    public int CancelCollection(string collectionId) => Cancel(entry => entry.CollectionId == collectionId);

    private int Cancel(Func<Entry, bool> matches)
    {
        var cancelled = 0;
        foreach (var (_, entry) in _running)
        {
            if (matches(entry))
            {
                try
                {
                    entry.Cancellation.Cancel();
                    cancelled++;
                }
                catch (ObjectDisposedException)
                {
                    // The job ended between the lookup and the cancel: nothing left to stop.
                }
            }
        }

        return cancelled;
    }

    private sealed record Entry(string CollectionId, string DocumentId, CancellationTokenSource Cancellation);
}
