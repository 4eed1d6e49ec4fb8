namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>A context shape of the lean loop.</summary>
/// <param name="Name">What the shape is, in the report.</param>
/// <param name="Sequences">n_seq_max.</param>
/// <param name="UnifiedKv">One KV cache for all sequences (the daemon's) or one per sequence.</param>
/// <param name="BatchSize">n_batch.</param>
/// <param name="UBatchSize">n_ubatch.</param>
/// <param name="RawDecode">llama_decode of a llama_batch_get_one-style batch instead of LLamaSharp's LLamaBatch.</param>
internal sealed record LeanShape(string Name, uint Sequences, bool UnifiedKv, uint BatchSize, uint UBatchSize, bool RawDecode)
{
    /// <summary>llama-bench's own context shape: the lean loop that is compared with its tg and pp512.</summary>
    public static LeanShape Reference { get; } = new("1 seq, split KV, 2048/512", 1, false, 2048, 512, RawDecode: false);

    /// <summary>The same with llama_decode called directly: what LLamaSharp's LLamaBatch costs.</summary>
    public static LeanShape ReferenceRaw { get; } = new("same, raw llama_decode (no LLamaBatch)", 1, false, 2048, 512, RawDecode: true);

    /// <summary>The GPU daemon's own context: its prompt time is the reference of the daemon's time to first token.</summary>
    public static LeanShape GpuDaemon { get; } = new("64 seq, unified KV, 512/512 (the daemon's)", 64, true, 512, 512, RawDecode: false);

    /// <summary>The CPU daemon's default context (Inference:MaxSequences 8, BatchSize 512).</summary>
    public static LeanShape CpuDaemon { get; } = new("8 seq, unified KV, 512/512 (the daemon's)", 8, true, 512, 512, RawDecode: false);

    /// <summary>Every shape of the GPU run, the reference first.</summary>
    public static IReadOnlyList<LeanShape> GpuShapes { get; } =
    [
        Reference,
        ReferenceRaw,
        new("1 seq, unified KV, 512/512 (LLamaSharp's)", 1, true, 512, 512, RawDecode: false),
        GpuDaemon,
        new("64 seq, split KV, 512/512", 64, false, 512, 512, RawDecode: false),
    ];

    /// <summary>The CPU run's shapes: the reference, its raw twin and the daemon's.</summary>
    public static IReadOnlyList<LeanShape> CpuShapes { get; } = [Reference, ReferenceRaw, CpuDaemon];
}
