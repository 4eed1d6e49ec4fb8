using EdgeLlm.Inference.Gguf;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// What a model will take in memory once loaded, estimated from its GGUF header before llama.cpp sees it:
/// its weights, its KV cache and an allowance for llama.cpp's compute buffers. The estimate a memory budget
/// checks before a load; <c>/admin/status</c> shows it.
/// </summary>
/// <param name="WeightsBytes">The tensor data: the sum of every tensor's byte size from its type and shape.</param>
/// <param name="KvCacheBytes">
/// The f16 KV cache: <c>block_count × cells × (n_embd_k_gqa + n_embd_v_gqa) × 2 bytes</c>, where cells is
/// <c>ContextSize × MaxSequences</c> (the unified cache the loader asks for) and
/// <c>n_embd_k_gqa = key_length × head_count_kv</c> (key_length defaulting to <c>embedding_length / head_count</c>;
/// likewise for V with value_length). An embedding model's one context holds one text: cells is <c>ContextSize</c>; an
/// encoder-only model (BERT) keeps no cache at all, since it attends over each text at once.
/// </param>
/// <param name="ComputeBytes">
/// An allowance for the compute buffers llama.cpp reserves for one full batch: <c>4 bytes × BatchSize ×
/// (vocabulary + 2 × feed_forward_length)</c>, that is the f32 logits of a batch and its feed-forward activations. An embedding
/// model computes no logits but takes a whole text in one batch: <c>4 bytes × ContextSize × (embedding_length + 2 ×
/// feed_forward_length)</c>. No attention-score matrix: llama.cpp's flash attention (on by default where the backend has it)
/// never builds one.
/// </param>
public sealed record ModelFootprint(long WeightsBytes, long KvCacheBytes, long ComputeBytes)
{
    /// <summary>f16, the KV cache type llama.cpp uses unless told otherwise.</summary>
    private const int KvElementBytes = 2;

    /// <summary>f32, the type of logits and activations in the compute graph.</summary>
    private const int ComputeElementBytes = 4;

    /// <summary>Weights, KV cache and compute allowance together.</summary>
    public long TotalBytes => WeightsBytes + KvCacheBytes + ComputeBytes;

    /// <summary>The model's layers (block_count; 0 when the file does not say), for the share of it a GPU holds.</summary>
    public long Layers { get; init; }

    /// <summary>
    /// Where this footprint lands: the share of layers offloaded (<paramref name="gpuLayers"/>, null: all) is counted
    /// against GPU <paramref name="mainGpu"/> when <paramref name="gpuPresent"/>, the rest against host memory.
    /// </summary>
    public ModelPlacement Place(int? gpuLayers, bool gpuPresent, int mainGpu)
    {
        var offloaded = gpuPresent ? Math.Min(gpuLayers ?? int.MaxValue, Layers > 0 ? Layers : int.MaxValue) : 0;
        var share = offloaded <= 0 ? 0 : Layers > 0 ? (double)offloaded / Layers : 1;
        var gpu = (long)(TotalBytes * share);
        return new ModelPlacement(TotalBytes - gpu, gpu, mainGpu);
    }

    /// <summary>The estimate for the model <paramref name="summary"/> describes, served with <paramref name="settings"/>.</summary>
    public static ModelFootprint Estimate(GgufSummary summary, EffectiveModelSettings settings, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var weights = 0L;
        foreach (var tensor in summary.Tensors)
        {
            weights = checked(weights + tensor.ByteSize);
        }

        return Estimate(summary.Metadata, summary.Architecture, weights, settings, batchSize);
    }

    /// <summary>
    /// The estimate from a GGUF's metadata and its weight bytes. Keys the file lacks count as zero, so a
    /// file without attention (an embedding-only or unknown architecture) is estimated by its weights.
    /// </summary>
    public static ModelFootprint Estimate(
        IReadOnlyDictionary<string, GgufMetadataValue> metadata, string architecture, long weightsBytes, EffectiveModelSettings settings, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(settings);
        long Read(string key) => metadata.TryGetValue(architecture + "." + key, out var value) && value.TryGetInt64(out var number) && number > 0 ? number : 0;

        var layers = Read("block_count");
        var embedding = Read("embedding_length");
        var heads = Read("attention.head_count");
        var kvHeads = Read("attention.head_count_kv") is > 0 and var declared ? declared : heads;
        var headSize = heads > 0 ? embedding / heads : 0;
        var keyLength = Read("attention.key_length") is > 0 and var k ? k : headSize;
        var valueLength = Read("attention.value_length") is > 0 and var v ? v : headSize;
        var embeds = settings.Role == ModelRole.Embedding;
        var cells = EncoderArchitectures.Contains(architecture) ? 0 : embeds ? settings.ContextSize : (long)settings.ContextSize * settings.MaxSequences;
        var kv = checked(layers * cells * ((keyLength + valueLength) * kvHeads) * KvElementBytes);

        var vocabulary = Read("vocab_size") is > 0 and var size
            ? size
            : metadata.TryGetValue("tokenizer.ggml.tokens", out var tokens) && tokens.IsArray ? tokens.ArrayLength : 0;
        var feedForward = Read("feed_forward_length");
        var compute = embeds
            ? checked((long)ComputeElementBytes * settings.ContextSize * (embedding + (2 * feedForward)))
            : checked((long)ComputeElementBytes * batchSize * (vocabulary + (2 * feedForward)));
        return new ModelFootprint(weightsBytes, kv, compute) { Layers = layers };
    }
}

/// <summary>The bytes a model takes from host memory and from one GPU.</summary>
public sealed record ModelPlacement(long HostBytes, long GpuBytes, int Gpu);
