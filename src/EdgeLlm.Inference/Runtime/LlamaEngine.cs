using EdgeLlm.Inference.PrefixReuse;
using EdgeLlm.Inference.Scheduling;
using LLama;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// The real engine: one llama context with a unified KV cache, one batch that every sequence adds its
/// tokens to, and one synchronous native decode per scheduler step. LLamaSharp's BatchedExecutor does the
/// same bookkeeping but decodes through <c>Task.Run</c>, on a different pool thread each step, which
/// costs 15-20 % of decode speed on the CPU backend (an OpenMP thread team per calling thread).
/// An embedding model's one context is an embedding context and starts no sequences; a chat model creates a second,
/// embedding context on its first embedding. Finished sequences' cells are kept for later prompts that begin the same
/// way (<see cref="PrefixCache"/>) when the model's memory allows it.
/// </summary>
internal sealed class LlamaEngine : IInferenceEngine
{
    private readonly LLamaWeights _weights;
    private readonly ModelParams _parameters;
    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();
    private readonly LLamaPoolingType _embeddingPooling;
    private readonly int _runningSequences;
    private readonly bool _reuseConfigured;
    private LLamaContext? _embeddingContext;

    /// <param name="weights">The loaded model.</param>
    /// <param name="parameters">
    /// The context to create: for generation, or (<see cref="ModelParams.Embeddings"/>) for embeddings only. Its
    /// <see cref="ModelParams.SeqMax"/> holds the running sequences plus <paramref name="reuse"/>'s kept prefixes, and is
    /// cut back to the running ones when the model's memory cannot be shared.
    /// </param>
    /// <param name="reuse">Prefix reuse; null: none, every sequence id runs.</param>
    /// <param name="embeddingPooling">How a generation model's embedding context pools token vectors.</param>
    public LlamaEngine(LLamaWeights weights, ModelParams parameters, PrefixCacheSettings? reuse = null, LLamaPoolingType embeddingPooling = LLamaPoolingType.Mean)
    {
        _weights = weights;
        _parameters = parameters;
        _embeddingPooling = embeddingPooling;
        _runningSequences = reuse?.RunningSequences ?? (int)parameters.SeqMax;
        _reuseConfigured = reuse is not null;
        Support = reuse is null ? new KvReuseSupport("off") : KvReuseSupport.Of(weights.NativeHandle, parameters);
        if (!Support.Supported)
        {
            parameters.SeqMax = (uint)_runningSequences;
        }

        _context = weights.CreateContext(parameters);
        _embeddingContext = parameters.Embeddings ? _context : null;
        var totalCells = (int)_context.ContextSize;
        if (Support.Supported)
        {
            // Before any sequence runs, so id 0 is free to probe on.
            Support = KvReuseSupport.Probe(_context, weights.NativeHandle, 0);
        }

        Cache = new PrefixCache(
            new LlamaKvMemory(_context.NativeHandle),
            Support.Supported ? reuse! with { TotalCells = totalCells } : PrefixCacheSettings.Off(_runningSequences, totalCells));
    }

    public int BatchCapacity => (int)_context.BatchSize;

    /// <summary>Whether this model's memory allows prefix reuse and speculation (they are off when not, and when configured off).</summary>
    public KvReuseSupport Support { get; }

    /// <summary>The kept prefixes and the sequence ids.</summary>
    public PrefixCache Cache { get; }

    PrefixCacheCounters IInferenceEngine.PrefixCache => Cache.Counters;

    bool IInferenceEngine.KeepsPrefixes => Cache.Enabled;

    string? IInferenceEngine.ReuseUnavailable => _reuseConfigured && !Support.Supported ? Support.Reason : null;

    public IEngineSequence CreateSequence(GenerationRequest request)
    {
        if (_parameters.Embeddings)
        {
            throw new InvalidOperationException("An embedding model does not generate.");
        }

        // The sampler first: a grammar llama.cpp refuses must not take a sequence id with it.
        var sampler = new TokenSampler(_weights.NativeHandle, request.Sampling, request.Constraint, request.TopLogprobs);
        var prompt = request.PromptTokens as int[] ?? [.. request.PromptTokens];
        var reservation = (int)Math.Min((long)prompt.Length + request.MaxTokens, _context.ContextSize);
        if (Cache.Start(prompt, reservation) is not { } start)
        {
            sampler.Dispose();
            throw new InvalidOperationException("More sequences than the context was created for.");
        }

        return new LlamaSequence(this, start, reservation, prompt, sampler, new StreamingTokenDecoder(_context));
    }

    public EngineDecodeStatus Decode()
    {
        if (_batch.TokenCount == 0)
        {
            return EngineDecodeStatus.Ok;
        }

        var result = _context.Decode(_batch);
        if (result == DecodeResult.NoKvSlot && Cache.EvictAll(PrefixEviction.NoSlot))
        {
            // llama.cpp refuses a batch it finds no cells for before computing anything, so the same batch can go again.
            result = _context.Decode(_batch);
        }

        _batch.Clear();
        return result == DecodeResult.Ok ? EngineDecodeStatus.Ok : EngineDecodeStatus.Failed;
    }

    public float[] Embed(IReadOnlyList<int> tokens)
    {
        var context = _embeddingContext ??= CreateEmbeddingContext();
        var handle = context.NativeHandle;
        handle.MemoryClear(true);
        var batch = new LLamaBatch();
        var sequence = (LLamaSeqId)0;
        for (var i = 0; i < tokens.Count; i++)
        {
            batch.Add(tokens[i], i, sequence, true);
        }

        var failed = _weights.NativeHandle.HasEncoder && !_weights.NativeHandle.HasDecoder
            ? context.Encode(batch) != EncodeResult.Ok
            : context.Decode(batch) != DecodeResult.Ok;
        if (failed)
        {
            throw new InvalidOperationException("Embedding decode failed.");
        }

        var vector = handle.GetEmbeddingsSeq(sequence).ToArray();
        handle.MemoryClear(true);
        return Normalize(vector);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_embeddingContext, _context))
        {
            _embeddingContext?.Dispose();
        }

        _context.Dispose();
    }

    internal SafeLlamaModelHandle.Vocabulary Vocabulary => _weights.Vocab;

    internal SafeLLamaContextHandle Handle => _context.NativeHandle;

    /// <summary>The token's bytes, special tokens rendered (a piece longer than the buffer is measured and read again).</summary>
    internal byte[] TokenBytes(int token)
    {
        Span<byte> buffer = stackalloc byte[64];
        var length = _weights.NativeHandle.TokenToSpan(token, buffer, special: true);
        if (length <= buffer.Length)
        {
            return buffer[..(int)length].ToArray();
        }

        var large = new byte[length];
        _weights.NativeHandle.TokenToSpan(token, large, special: true);
        return large;
    }

    /// <summary>Queues one token of a sequence; returns its index in the batch (where its logits will be).</summary>
    internal int Add(int token, int position, LLamaSeqId sequence, bool logits) => _batch.Add(token, position, sequence, logits);


    internal static float[] Normalize(float[] vector)
    {
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(vector));
        if (norm > 0 && float.IsFinite(norm))
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    private LLamaContext CreateEmbeddingContext()
    {
        // One sequence's share of the cells: the running sequences divide the context, kept prefixes only borrow it.
        var size = _parameters.ContextSize!.Value / (uint)Math.Max(1, _runningSequences);
        var embeddingParams = new ModelParams(_parameters.ModelPath)
        {
            ContextSize = size,
            BatchSize = size,
            UBatchSize = size,
            SeqMax = 1,
            Embeddings = true,
            PoolingType = _embeddingPooling,
            Threads = _parameters.Threads,
            BatchThreads = _parameters.BatchThreads,
        };
        return _weights.CreateContext(embeddingParams);
    }
}
