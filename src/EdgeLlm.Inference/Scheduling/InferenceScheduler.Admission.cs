using System.Diagnostics;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>The scheduler's doors, called from request threads: admission, embeddings, and draining before retirement.</summary>
public sealed partial class InferenceScheduler
{
    /// <summary>Offers a generation. Never waits: admitted with a stream, or refused with a reason.</summary>
    public AdmissionResult TrySubmit(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_gauges.Faulted || _stopping.IsCancellationRequested || _draining)
        {
            InferenceMetrics.Refused("unavailable");
            return new AdmissionResult.Unavailable(_draining ? "This model version was replaced; retry." : "The inference engine is not running.");
        }

        switch (_shares.TryAdmit(request.Owner))
        {
            case ShareAdmission.QueueFull:
                InferenceMetrics.Refused("queue_full");
                return new AdmissionResult.QueueFull(_gauges.RetryAfterHint());
            case ShareAdmission.OwnShareFull:
                InferenceMetrics.Refused("key_share_full");
                return new AdmissionResult.QueueFull(_gauges.RetryAfterHint(), OwnShare: true);
        }

        _gauges.Admitted();
        var now = _time.GetUtcNow();
        var job = new GenerationJob(request, cancellationToken, now, now + _settings.RequestTimeout)
        {
            Span = InferenceMetrics.StartSpan("inference.generate", Activity.Current?.Context ?? default, Activity.Current?.GetBaggageItem(InferenceMetrics.RequestIdBaggage)),
        };
        _incoming.Writer.TryWrite(job);
        return new AdmissionResult.Admitted(job.Stream);
    }

    /// <summary>Computes an embedding on the loop, between decode steps. Null when the queue is full.</summary>
    public Task<float[]>? TryEmbed(IReadOnlyList<int> tokens, CancellationToken cancellationToken)
    {
        if (_gauges.Faulted || _stopping.IsCancellationRequested || _draining)
        {
            return null;
        }

        if (Interlocked.Increment(ref _embeddingsQueued) > _settings.QueueCapacity + _settings.MaxSequences)
        {
            Interlocked.Decrement(ref _embeddingsQueued);
            return null;
        }

        _gauges.Used();
        var job = new EmbeddingJob(tokens, cancellationToken);
        _incoming.Writer.TryWrite(job);
        return job.Result.Task;
    }

    /// <summary>How long a refused client should wait.</summary>
    public TimeSpan RetryAfterHint() => _gauges.RetryAfterHint();

    /// <summary>
    /// Ends every generation admitted so far, at the loop's next step, with <see cref="FinishReason.Shutdown"/>: the
    /// daemon is stopping and its shutdown timeout passed, so each client gets an error event rather than a cut connection.
    /// </summary>
    public void EndForShutdown() => _endForShutdown = true;

    /// <summary>
    /// Takes no new work, lets every admitted generation and embedding finish (up to <paramref name="timeout"/>),
    /// then stops: how a replaced model version retires without cutting its in-flight requests.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        _draining = true;
        // Wall-clock polling: the scheduler's own clock may be a test's, which only moves when told.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        // Twice idle in a row: a request that passed the admission check just before draining began has
        // had time to take its place.
        var idleChecks = 0;
        while (idleChecks < 2 && waited.Elapsed < timeout && !_loop.Task.IsCompleted)
        {
            var busy = _gauges.Snapshot() is { Active: > 0 } or { Waiting: > 0 } || Volatile.Read(ref _embeddingsQueued) > 0;
            idleChecks = busy ? 0 : idleChecks + 1;
            await Task.Delay(DrainPoll);
        }

        await DisposeAsync();
    }
}
