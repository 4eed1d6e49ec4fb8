using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Tests.Support;

/// <summary>
/// A hand-written engine: sequences "generate" token = previous + 1, render token t as the letter
/// 'a' + t % 26, and treat <see cref="EndToken"/> as end-of-generation. Records every decode's batch.
/// Decodes can be held at a gate so a test decides when each step runs.
/// </summary>
internal sealed class FakeEngine(int batchCapacity = 512) : IInferenceEngine
{
    private readonly List<(int Sequence, int Tokens)> _pending = [];
    private readonly Lock _gate = new();
    private int _nextId;

    public const int EndToken = 1000;

    public int BatchCapacity => batchCapacity;

    public List<IReadOnlyList<(int Sequence, int Tokens)>> Batches { get; } = [];

    public int LiveSequences;

    public bool FailNextDecode { get; set; }

    /// <summary>Draft cells removed after verifies, over all sequences.</summary>
    public int RolledBack;

    /// <summary>When set, each decode takes this long whatever it carries (as a GPU's small steps do).</summary>
    public TimeSpan? StepTime { get; set; }

    /// <summary>When set, each decode waits for one release.</summary>
    public SemaphoreSlim? StepGate { get; set; }

    public IEngineSequence CreateSequence(GenerationRequest request)
    {
        Interlocked.Increment(ref LiveSequences);
        return new FakeSequence(this, _nextId++, request.TopLogprobs);
    }

    /// <summary>The fake's log-probability of token t: -(t % 5) / 2.</summary>
    public static float LogprobOf(int token) => -(token % 5) / 2f;

    public EngineDecodeStatus Decode()
    {
        StepGate?.Wait();
        if (StepTime is { } stepTime)
        {
            Thread.Sleep(stepTime);
        }

        lock (_gate)
        {
            Batches.Add([.. _pending]);
            _pending.Clear();
        }

        if (FailNextDecode)
        {
            FailNextDecode = false;
            return EngineDecodeStatus.Failed;
        }

        return EngineDecodeStatus.Ok;
    }

    public float[] Embed(IReadOnlyList<int> tokens) => [tokens.Count, 0f];

    public void Dispose()
    {
    }

    public IReadOnlyList<IReadOnlyList<(int Sequence, int Tokens)>> SnapshotBatches()
    {
        lock (_gate)
        {
            return [.. Batches];
        }
    }

    private sealed class FakeSequence(FakeEngine engine, int id, int? topLogprobs) : IEngineSequence
    {
        private readonly List<int> _outputs = [];
        private int _next;
        private bool _disposed;

        public void Prompt(ReadOnlySpan<int> tokens)
        {
            Queue(tokens[^1], tokens.Length);
        }

        public void Propose(int token, ReadOnlySpan<int> drafts)
        {
            Queue(token, 1 + drafts.Length);
            _outputs.AddRange(drafts);
        }

        public void Rollback(int count) => Interlocked.Add(ref engine.RolledBack, count);

        public SampledToken Sample()
        {
            var token = _outputs[Math.Min(_next++, _outputs.Count - 1)] + 1;
            return topLogprobs is not { } top
                ? new SampledToken(token)
                : new SampledToken(token, LogprobOf(token), [.. Enumerable.Range(token, top).Select(t => (t, LogprobOf(t)))]);
        }

        public bool IsEndOfGeneration(int token) => token == EndToken;

        public string Detokenize(int token) => ((char)('a' + (token % 26))).ToString();

        public byte[] TokenBytes(int token) => System.Text.Encoding.UTF8.GetBytes(Detokenize(token));

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Interlocked.Decrement(ref engine.LiveSequences);
            }
        }

        /// <summary>The tokens whose logits the next samples read: each "predicts" itself + 1.</summary>
        private void Queue(int last, int count)
        {
            _outputs.Clear();
            _outputs.Add(last);
            _next = 0;
            lock (engine._gate)
            {
                engine._pending.Add((id, count));
            }
        }
    }
}
