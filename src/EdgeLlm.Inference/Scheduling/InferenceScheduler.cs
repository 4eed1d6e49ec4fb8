using System.Diagnostics;
using System.Threading.Channels;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Speculation;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The single owner of one model's engine and the only code that calls its decode. Runs one loop that
/// does continuous batching: requests join and leave between decode steps, every running stream gets one
/// token per step, and new prompts are fed in chunks so they never stall the running streams.
/// Admission is bounded (sequences + wait queue, shared fairly across API keys; see the Admission part); overflow is refused at once.
/// </summary>
public sealed partial class InferenceScheduler : IAsyncDisposable
{
    private readonly IInferenceEngine _engine;
    private readonly SchedulerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<object> _incoming = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FairQueue _waiting;
    private readonly ShareLedger _shares;
    private readonly List<GenerationJob> _active = [];
    private readonly Queue<EmbeddingJob> _embeddings = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(25);
    private readonly SchedulerGauges _gauges;
    private readonly DecodeCosts _costs;
    private int _embeddingsQueued;
    private long _steps;
    private volatile bool _draining;
    private volatile bool _endForShutdown;
    private int _disposed;

    private readonly SchedulerFaults? _faults = SchedulerFaults.ForNextScheduler();

    internal InferenceScheduler(IInferenceEngine engine, SchedulerSettings settings, TimeProvider time, ILogger logger)
    {
        _engine = engine;
        _settings = settings;
        _time = time;
        Outcomes = new GenerationOutcomes(time: time);
        _logger = logger;
        _gauges = new SchedulerGauges(time);
        _costs = new DecodeCosts(engine.BatchCapacity);
        _waiting = new FairQueue(settings);
        _shares = new ShareLedger(settings, time);
        // One dedicated thread calls native decode, always the same one: llama.cpp's CPU backend keeps an
        // OpenMP thread team per calling thread, and teams left behind by pool threads spin on the cores.
        new Thread(Run) { IsBackground = true, Name = "edgellm-scheduler" }.Start();
    }

    /// <summary>Completes when the loop ends; faulted if it died.</summary>
    public Task Completion => _loop.Task;

    public SchedulerSnapshot Snapshot => _gauges.Snapshot();

    /// <summary>When a request (generation or embedding) was last admitted; null before the first.</summary>
    public DateTimeOffset? LastAdmitted => _gauges.LastAdmitted;

    /// <summary>How this scheduler's recent generations ended, for comparing a model's versions.</summary>
    public GenerationOutcomes Outcomes { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _incoming.Writer.TryComplete();
        try
        {
            await _loop.Task;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The fault was already logged by the loop; disposal must still release the engine.
        }

        _engine.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                _gauges.Beat(_active.Count);
                DrainIncoming();
                if (_endForShutdown)
                {
                    FailEverything(FinishReason.Shutdown);
                }

                RunOneEmbedding();
                var now = _time.GetUtcNow();
                foreach (var ended in _waiting.RemoveWhere(job => StopReason(job, now) is not null, now))
                {
                    Complete(ended, StopReason(ended, now)!.Value, now);
                }

                Retire(job => StopReason(job, now), now);
                Activate(now);
                if (_active.Count == 0)
                {
                    if (_embeddings.Count == 0)
                    {
                        WaitForWork();
                    }

                    continue;
                }

                Step();
            }

            FailEverything(FinishReason.Cancelled);
            _loop.TrySetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _gauges.Faulted = true;
            InferenceLog.SchedulerFaulted(_logger, ex);
            FailEverything(FinishReason.Error);
            _loop.TrySetException(ex);
        }
    }

    private void Step()
    {
        var queued = BatchPlanner.Fill(_active, _engine.BatchCapacity, _settings.PromptChunkTokens, ++_steps, DraftPlan());
        EngineDecodeStatus status;
        try
        {
            var started = Stopwatch.GetTimestamp();
            status = _faults?.FailsDecode(_gauges.Snapshot().Completed, _logger, _stopping.Token) == true ? EngineDecodeStatus.Failed : _engine.Decode();
            if (status == EngineDecodeStatus.Ok)
            {
                _costs.Observe(queued, Stopwatch.GetElapsedTime(started));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            InferenceLog.DecodeThrew(_logger, ex);
            status = EngineDecodeStatus.Failed;
        }

        var now = _time.GetUtcNow();
        if (status != EngineDecodeStatus.Ok)
        {
            InferenceLog.DecodeFailed(_logger, _active.Count(j => j.InBatch));
            Retire(job => job.InBatch ? FinishReason.Error : null, now);
            return;
        }

        foreach (var job in _active)
        {
            if (job.InBatch && job.PromptDone)
            {
                if (job.Proposed > 0)
                {
                    Verify(job, now);
                }
                else
                {
                    SampleNext(job, now);
                }
            }
        }

        Retire(_ => null, now);
    }

    private void Complete(GenerationJob job, FinishReason reason, DateTimeOffset now)
    {
        if (job.IsFinished)
        {
            return;
        }

        if (job.StartedAt is not null)
        {
            _waiting.Released(job.Request.Owner, now);
        }

        if (reason == FinishReason.ClientStalled)
        {
            InferenceLog.ClientStalled(_logger, job.Request.Owner?.Key, job.Request.Owner?.Tenant, job.CompletionTokens, job.Request.StalledReaderTimeout!.Value);
        }

        // The admission place is given back before the client can read the end, so a client that saw its request
        // end and sends the next one finds the place free.
        _shares.Release(job.Request.Owner);
        _gauges.Finished(reason, now - job.SubmittedAt, job.CompletionTokens);
        if (GenerationOutcome.Of(reason, now, job.SubmittedAt, job.TimeToFirstToken, job.CompletionTokens) is { } outcome)
        {
            Outcomes.Add(outcome);
        }

        job.Finish(reason, now);
    }

    private void DrainIncoming()
    {
        while (_incoming.Reader.TryRead(out var item))
        {
            switch (item)
            {
                case GenerationJob job:
                    _waiting.Enqueue(job, _time.GetUtcNow());
                    break;
                case EmbeddingJob embedding:
                    _embeddings.Enqueue(embedding);
                    break;
            }
        }
    }

    private void RunOneEmbedding()
    {
        if (!_embeddings.TryDequeue(out var job))
        {
            return;
        }

        Interlocked.Decrement(ref _embeddingsQueued);
        job.RunOn(_engine, _logger);
    }

    /// <summary>Ends the active jobs <paramref name="reasonOf"/> gives a reason for, and drops every ended job from the active set.</summary>
    private void Retire(Func<GenerationJob, FinishReason?> reasonOf, DateTimeOffset now) =>
        _active.RemoveAll(job =>
        {
            if (job.Sequence is not null && reasonOf(job) is { } reason)
            {
                Complete(job, reason, now);
            }

            return job.Sequence is null;
        });

    private void Activate(DateTimeOffset now)
    {
        while (_active.Count < _settings.MaxSequences && _waiting.TakeNext(now) is { } job)
        {
            job.StartedAt = now;
            job.DecodeSpan = job.Span is { } span ? InferenceMetrics.StartSpan("inference.decode", span.Context, span.GetTagItem(InferenceMetrics.RequestIdBaggage) as string) : null;
            try
            {
                job.Sequence = _engine.CreateSequence(job.Request);
                job.PromptOffset = job.CachedPromptTokens = job.Sequence.ReusedPromptTokens;
                StartDrafting(job);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                InferenceLog.SequenceStartFailed(_logger, ex);
                Complete(job, FinishReason.Error, now);
                continue;
            }

            _active.Add(job);
        }
    }

    private static FinishReason? StopReason(GenerationJob job, DateTimeOffset now) =>
        job.Cancellation.IsCancellationRequested ? FinishReason.Cancelled
        : now >= job.Deadline ? FinishReason.Timeout
        : job.ReaderStalled(now) ? FinishReason.ClientStalled
        : null;

    /// <summary>Blocks the scheduler thread until work arrives, the daemon stops, or an idle tick passes.</summary>
    private void WaitForWork()
    {
        using var tick = new CancellationTokenSource(_settings.IdleTick, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, _stopping.Token);
        try
        {
            _incoming.Reader.WaitToReadAsync(linked.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Idle tick: loop round to beat the heartbeat.
        }
    }

    private void FailEverything(FinishReason reason)
    {
        var now = _time.GetUtcNow();
        DrainIncoming();
        foreach (var job in _active.Concat(_waiting.TakeAll()).ToList())
        {
            Complete(job, reason, now);
        }

        _active.Clear();
        while (_embeddings.TryDequeue(out var embedding))
        {
            embedding.Result.TrySetCanceled();
        }
    }
}
