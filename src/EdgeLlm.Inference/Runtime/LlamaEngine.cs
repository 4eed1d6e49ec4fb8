using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// The real engine: one LLamaSharp <see cref="BatchedExecutor"/> (one llama context with a KV cache
/// split into per-sequence streams) plus a lazily created embedding context.
/// </summary>
internal sealed class LlamaEngine(LLamaWeights weights, ModelParams contextParams) : IInferenceEngine
{
    private readonly BatchedExecutor _executor = new(weights, contextParams);
    private LLamaContext? _embeddingContext;

    public int BatchCapacity => (int)_executor.Context.BatchSize;

    public IEngineSequence CreateSequence(SamplingParameters sampling) =>
        new LlamaSequence(
            _executor.Create(),
            SamplerChainFactory.Create(sampling),
            new StreamingTokenDecoder(_executor.Context),
            weights.Vocab);

    public async ValueTask<EngineDecodeStatus> DecodeAsync(CancellationToken cancellationToken)
    {
        // The executor queues one native batch per n_batch tokens; the scheduler keeps a step within one,
        // but drain the queue anyway so no prompted sequence is left waiting.
        while (_executor.BatchQueueCount > 0)
        {
            if (await _executor.Infer(cancellationToken) != DecodeResult.Ok)
            {
                return EngineDecodeStatus.Failed;
            }
        }

        return EngineDecodeStatus.Ok;
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

        var failed = weights.NativeHandle.HasEncoder && !weights.NativeHandle.HasDecoder
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
        _embeddingContext?.Dispose();
        _executor.Dispose();
    }

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
        var size = contextParams.ContextSize!.Value / Math.Max(1u, contextParams.SeqMax);
        var embeddingParams = new ModelParams(contextParams.ModelPath)
        {
            ContextSize = size,
            BatchSize = size,
            UBatchSize = size,
            SeqMax = 1,
            Embeddings = true,
            PoolingType = LLamaPoolingType.Mean,
            Threads = contextParams.Threads,
            BatchThreads = contextParams.BatchThreads,
        };
        return weights.CreateContext(embeddingParams);
    }
}
