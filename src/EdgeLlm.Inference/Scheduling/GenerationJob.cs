using System.Diagnostics;
using System.Threading.Channels;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>The scheduler's private state of one generation, owned by its loop.</summary>
internal sealed class GenerationJob
{
    private readonly Channel<GenerationEvent> _events =
        Channel.CreateUnbounded<GenerationEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    // When each text event not yet taken by the reader was emitted (its index in the stream, and the time).
    private readonly Queue<(long Index, DateTimeOffset At)> _unread = new();
    private long _emitted;
    private List<TokenLogprob>? _logprobs;

    public GenerationJob(GenerationRequest request, CancellationToken clientToken, DateTimeOffset submittedAt, DateTimeOffset deadline)
    {
        Request = request;
        Cancellation = CancellationTokenSource.CreateLinkedTokenSource(clientToken);
        SubmittedAt = submittedAt;
        Deadline = deadline;
        Stops = new StopSequenceMatcher(request.Stop);
        Stream = new GenerationStream(_events.Reader, Cancellation);
    }

    public GenerationRequest Request { get; }

    public CancellationTokenSource Cancellation { get; }

    public GenerationStream Stream { get; }

    public DateTimeOffset SubmittedAt { get; }

    public DateTimeOffset Deadline { get; }

    public StopSequenceMatcher Stops { get; }

    public IEngineSequence? Sequence { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>Prompt tokens already queued for decoding.</summary>
    public int PromptOffset { get; set; }

    /// <summary>Prompt tokens the sequence started with from a kept prefix, never decoded for this request.</summary>
    public int CachedPromptTokens { get; set; }

    /// <summary>The last sampled token, to be fed back at the next step.</summary>
    public int? PendingToken { get; set; }

    public int CompletionTokens { get; set; }

    /// <summary>The prompt and answer so far, indexed for prompt lookup; null when the model does not speculate.</summary>
    public PromptLookupDrafter? Drafter { get; set; }

    /// <summary>How well this job's drafts have been accepted, and its back-off.</summary>
    public DraftStats DraftStats { get; } = new();

    /// <summary>Drafts decoded behind <see cref="PendingToken"/> in this step (the first <see cref="Proposed"/> of them).</summary>
    public int[] Drafts { get; set; } = [];

    public int Proposed { get; set; }

    /// <summary>True when this job put tokens into the batch being decoded.</summary>
    public bool InBatch { get; set; }

    public bool PromptDone => PromptOffset >= Request.PromptTokens.Count;

    public bool IsFinished { get; private set; }

    /// <summary>The request's span in the scheduler (admission to end) and its decode part (sequence to end).</summary>
    public Activity? Span { get; init; }

    public Activity? DecodeSpan { get; set; }

    /// <summary>
    /// Sends text to the reader. A token's log-probability waits for the text it completes (UTF-8 held back, a stop
    /// sequence's possible start) and goes with it; <see cref="Finish"/> sends what is left.
    /// </summary>
    public void Emit(string text, TokenLogprob? logprob, DateTimeOffset now)
    {
        if (logprob is not null)
        {
            (_logprobs ??= []).Add(logprob);
        }

        if (text.Length > 0)
        {
            _unread.Enqueue((_emitted++, now));
            _events.Writer.TryWrite(new TextDelta(text, TakeLogprobs()));
        }
    }

    private List<TokenLogprob>? TakeLogprobs()
    {
        if (_logprobs is not { Count: > 0 } pending)
        {
            return null;
        }

        _logprobs = null;
        return pending;
    }

    /// <summary>
    /// True when text this generation produced has waited longer than the request's stalled-reader timeout to be
    /// taken: measured at the generation's own output, so a reader blocked on a full socket counts however the
    /// socket's buffers are sized.
    /// </summary>
    public bool ReaderStalled(DateTimeOffset now)
    {
        if (Request.StalledReaderTimeout is not { } limit)
        {
            return false;
        }

        var taken = Stream.Taken;
        while (_unread.TryPeek(out var oldest) && oldest.Index < taken)
        {
            _unread.Dequeue();
        }

        return _unread.TryPeek(out var waiting) && now - waiting.At >= limit;
    }

    public void Finish(FinishReason reason, DateTimeOffset now)
    {
        IsFinished = true;
        Emit(Stops.Flush(), null, now);
        if (TakeLogprobs() is { } rest)
        {
            _events.Writer.TryWrite(new TextDelta("", rest));
        }

        var queueTime = (StartedAt ?? now) - SubmittedAt;

        // Recorded before the client reads the end, so its metrics and spans are complete when its request is.
        InferenceMetrics.Finished(Request, CompletionTokens, reason, now - SubmittedAt, TimeToFirstToken);
        InferenceMetrics.EndSpan(DecodeSpan?.SetTag("gen_ai.usage.output_tokens", CompletionTokens));
        InferenceMetrics.EndSpan(Span?.SetTag("gen_ai.usage.input_tokens", Request.PromptTokens.Count).SetTag("edgellm.usage.cached_input_tokens", CachedPromptTokens).SetTag("edgellm.finish_reason", reason.ToString()));
        _events.Writer.TryWrite(new GenerationFinished(
            reason,
            new GenerationUsage(Request.PromptTokens.Count, CompletionTokens, queueTime, TimeToFirstToken) { CachedPromptTokens = CachedPromptTokens }));
        _events.Writer.TryComplete();
        Stream.Ended(reason == FinishReason.ClientStalled);
        // A failed decode may have left the sequence's cells half written: never kept for another prompt.
        Sequence?.End(keepForReuse: reason != FinishReason.Error);
        Sequence = null;
        Cancellation.Dispose();
    }
}
