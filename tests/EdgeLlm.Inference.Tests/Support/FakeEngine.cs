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
        private int _last;
        private bool _disposed;

        public void Prompt(ReadOnlySpan<int> tokens)
        {
            _last = tokens[^1];
            lock (engine._gate)
            {
                engine._pending.Add((id, tokens.Length));
            }
        }

        public SampledToken Sample()
        {
            var token = _last + 1;
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
    }
}
