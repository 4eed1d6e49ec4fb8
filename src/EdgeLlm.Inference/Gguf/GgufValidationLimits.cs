using System.Collections.Frozen;

namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// Bounds the GGUF validator enforces before any native code sees a file. The defaults accept
/// every mainstream model (vocabularies of 256K entries, chat templates of tens of KB, 64-byte
/// alignment) while keeping the memory a hostile header can make us spend small.
/// </summary>
public sealed class GgufValidationLimits
{
    /// <summary>The architectures llama.cpp runs that this appliance is prepared to serve.</summary>
    public static IReadOnlySet<string> DefaultArchitectures { get; } = new[]
    {
        "llama", "mistral", "mistral3", "qwen2", "qwen2moe", "qwen3", "qwen3moe", "phi2", "phi3",
        "gemma", "gemma2", "gemma3", "granite", "olmo2", "starcoder2", "stablelm", "deepseek2",
        "command-r", "falcon", "gpt2", "bert", "nomic-bert", "jina-bert-v2", "t5", "mpt",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Most metadata key-value pairs a file may declare. Default 65,536 (real models have under 100).</summary>
    public int MaxKeyValueCount { get; init; } = 65_536;

    /// <summary>Most tensors a file may declare. Default 65,536 (large MoE models have a few thousand).</summary>
    public int MaxTensorCount { get; init; } = 65_536;

    /// <summary>
    /// Longest string value, in bytes. Default 16 MiB (chat templates are tens of KB; an embedded
    /// tokenizer.json a few MB). Keys are further held to the format's own 65,535-byte limit.
    /// </summary>
    public long MaxStringLength { get; init; } = 16L * 1024 * 1024;

    /// <summary>Most elements in one metadata array. Default 4,194,304 (vocabularies have up to ~256K entries).</summary>
    public long MaxArrayLength { get; init; } = 4L * 1024 * 1024;

    /// <summary>
    /// How deeply arrays may nest: 1 allows arrays of scalars or strings only. Default 1, because
    /// llama.cpp b10221 refuses arrays of arrays anyway.
    /// </summary>
    public int MaxArrayDepth { get; init; } = 1;

    /// <summary>Most dimensions per tensor. Default 4; ggml cannot represent more, so higher values act as 4.</summary>
    public int MaxDimensions { get; init; } = 4;

    /// <summary>Largest <c>general.alignment</c>, in bytes; it must also be a power of two. Default 65,536 (files use 32 or 64).</summary>
    public int MaxAlignment { get; init; } = 65_536;

    /// <summary>
    /// Most bytes the header, metadata and tensor table may take together. Default 256 MiB
    /// (a 256K-entry vocabulary with merges takes about 20 MB).
    /// </summary>
    public long MaxMetadataBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Values of <c>general.architecture</c> that are accepted. Default <see cref="DefaultArchitectures"/>.</summary>
    public IReadOnlySet<string> SupportedArchitectures { get; init; } = DefaultArchitectures;
}
