using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// Runs ingest jobs one at a time, oldest first. At start it requeues the jobs a crash or stop interrupted,
/// so every acknowledged upload ends as a complete document or a failed job, never as half of one.
/// </summary>
public sealed class IngestWorker(IngestJobStore jobs, IngestQueue queue, DocumentIngestor ingestor, ILogger<IngestWorker> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    // With the 2 s delay, about ten minutes: longer than the slowest model load.
    private const int MaxAttempts = 300;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var resumed = await jobs.RequeueInterruptedAsync(stoppingToken);
            if (resumed > 0)
            {
                RetrievalLog.IngestsResumed(logger, resumed);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var next = await jobs.TakeNextAsync(stoppingToken);
                if (next is not { } taken)
                {
                    await queue.WaitAsync(IdlePoll, stoppingToken);
                    continue;
                }

                IngestOutcome outcome;
                string reason;
                try
                {
                    (outcome, reason) = (await ingestor.RunAsync(taken.Job, taken.Content, stoppingToken), "the embedding model was not available");
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // Never let one job stop the worker (and with it the daemon): retry it later, a bounded number of times.
                    RetrievalLog.IngestFailed(logger, taken.Job.Id, ex);
                    (outcome, reason) = (IngestOutcome.RetryLater, ex.GetType().Name);
                }

                if (outcome == IngestOutcome.RetryLater)
                {
                    await jobs.RequeueAsync(taken.Job.Id, MaxAttempts, reason, stoppingToken);
                    await Task.Delay(RetryDelay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a running job stays 'running' and is requeued at the next start.
        }
    }
}

/// <summary>How one run of an ingest job ended.</summary>
public enum IngestOutcome
{
    Succeeded,
    Failed,
    RetryLater,
}
