using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// Runs ingest jobs fairly: it holds up to <see cref="MaxHeldJobs"/> jobs at once, one per tenant, taken
/// round-robin over tenants, and advances them in turn one slice of chunks each, so a one-chunk upload of one
/// tenant waits at most a slice of another tenant's long document, not all of it. A job whose document or
/// collection is deleted is cancelled at once (<see cref="RunningIngests"/>). A full disk makes the worker wait
/// and retry, holding what it embedded; it never fails a job or stops. At start it requeues the jobs a crash or
/// stop interrupted, so every acknowledged upload ends as a complete document or a finished job, never as half of one.
/// When the queue runs empty, no copy of a finished job's upload is left in retrieval.db's WAL either.
/// </summary>
public sealed class IngestWorker(
    IngestJobStore jobs, IngestQueue queue, DocumentIngestor ingestor, RunningIngests running, IOptions<RetrievalOptions> options, ILogger<IngestWorker> logger)
    : BackgroundService
{
    /// <summary>
    /// Jobs held at once. Each holds its chunks and vectors in memory (a few MB at the default limits); four
    /// tenants ingesting at once is more than a two-core device serves well, and the rest wait their turn.
    /// </summary>
    internal const int MaxHeldJobs = 4;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    // With the 2 s delay, about ten minutes: longer than the slowest model load.
    private const int MaxAttempts = 300;

    private readonly List<HeldJob> _held = [];
    private string? _lastTakenTenant;
    private int _turn;
    private bool _resumed;
    private bool _diskFull;
    private bool _payloadsDropped;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                    if (_diskFull)
                    {
                        _diskFull = false;
                        RetrievalLog.IngestStorageReturned(logger);
                    }
                }
                catch (Exception ex) when (DiskFull.Is(ex))
                {
                    // Nothing is lost: a failed commit rolled back and the held jobs keep their vectors. Try again later.
                    if (!_diskFull)
                    {
                        _diskFull = true;
                        RetrievalLog.IngestStorageFull(logger, options.Value.DiskFullRetryInterval, ex);
                    }

                    await Task.Delay(options.Value.DiskFullRetryInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the held jobs stay 'running' and are requeued at the next start.
        }
        finally
        {
            foreach (var held in _held)
            {
                running.Finish(held.Job.Id);
            }

            _held.Clear();
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        if (!_resumed)
        {
            var resumed = await jobs.RequeueInterruptedAsync(stoppingToken);
            _resumed = true;
            if (resumed > 0)
            {
                RetrievalLog.IngestsResumed(logger, resumed);
            }
        }

        await TakeJobsAsync(stoppingToken);
        if (_held.Count == 0)
        {
            if (_payloadsDropped)
            {
                // No upload waits any more: none of their bytes is to stay anywhere in retrieval.db.
                await jobs.EraseDroppedPayloadsAsync(stoppingToken);
                _payloadsDropped = false;
            }

            await queue.WaitAsync(IdlePoll, stoppingToken);
            return;
        }

        _turn %= _held.Count;
        var held = _held[_turn];
        var outcome = await StepAsync(held, stoppingToken);
        switch (outcome)
        {
            case IngestOutcome.Continues:
                _turn++;
                break;
            case IngestOutcome.RetryLater:
                await jobs.RequeueAsync(held.Job.Id, MaxAttempts, held.RetryReason, stoppingToken);
                Release(held);
                await Task.Delay(RetryDelay, stoppingToken);
                break;
            default:
                // Removing the entry moves the next job into this turn.
                Release(held);
                break;
        }
    }

    /// <summary>Takes waiting jobs of tenants not held yet, round-robin from the tenant after the last one taken.</summary>
    private async Task TakeJobsAsync(CancellationToken stoppingToken)
    {
        while (_held.Count < MaxHeldJobs)
        {
            var busy = _held.Select(h => h.Job.Tenant).ToList();
            if (await jobs.TakeNextAsync(busy, _lastTakenTenant, stoppingToken) is not { } taken)
            {
                return;
            }

            _lastTakenTenant = taken.Job.Tenant;
            _held.Add(new HeldJob(taken.Job, taken.Content, running.Start(taken.Job)));
        }
    }

    private async Task<IngestOutcome> StepAsync(HeldJob held, CancellationToken stoppingToken)
    {
        try
        {
            if (held.Run is null)
            {
                var (outcome, run) = await ingestor.BeginAsync(held.Job, held.Content!, held.Cancellation, stoppingToken);
                held.Run = run;
                if (run is not null)
                {
                    // The run keeps what the document row needs; the uploaded bytes need not wait through its turns.
                    held.Content = null;
                }

                return outcome;
            }

            return await ingestor.StepAsync(held.Run, stoppingToken);
        }
        catch (OperationCanceledException) when (held.Cancellation.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return IngestOutcome.Cancelled;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException && !DiskFull.Is(ex))
        {
            // Never let one job stop the worker (and with it the daemon): retry it later, a bounded number of times.
            RetrievalLog.IngestFailed(logger, held.Job.Id, ex);
            held.RetryReason = ex.GetType().Name;
            return IngestOutcome.RetryLater;
        }
    }

    private void Release(HeldJob held)
    {
        _held.Remove(held);
        running.Finish(held.Job.Id);
        _payloadsDropped = true;
    }

    private sealed class HeldJob(IngestJob job, byte[] content, CancellationTokenSource cancellation)
    {
        public IngestJob Job { get; } = job;

        public byte[]? Content { get; set; } = content;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public IngestRun? Run { get; set; }

        public string RetryReason { get; set; } = "the embedding model was not available";
    }
}

/// <summary>How one step of an ingest job ended.</summary>
public enum IngestOutcome
{
    /// <summary>A slice is done; more are to come.</summary>
    Continues,
    Succeeded,
    Failed,
    RetryLater,

    /// <summary>Its document or collection was deleted; nothing was written.</summary>
    Cancelled,
}
