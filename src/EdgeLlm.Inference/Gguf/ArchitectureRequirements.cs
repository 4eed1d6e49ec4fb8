namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// The metadata and tensors an architecture cannot load without, checked in managed code because llama.cpp b10221 asserts
/// (aborting the process) on some of them instead of failing the load: a <c>block_count</c> of 0 or above 512, for one.
/// Only BERT is described so far; other architectures pass unchecked here and llama.cpp reports what it misses.
/// </summary>
internal static class ArchitectureRequirements
{
    /// <summary>llama.cpp's LLAMA_MAX_LAYERS.</summary>
    private const long MaxLayers = 512;

    /// <exception cref="GgufFormatException">A required key or tensor is absent or out of range.</exception>
    public static void Check(string architecture, IReadOnlyDictionary<string, GgufMetadataValue> metadata, IReadOnlyList<GgufTensorInfo> tensors)
    {
        if (architecture == "bert")
        {
            CheckBert(metadata, tensors);
        }
    }

    /// <summary>llama.cpp's <c>llama_model_bert</c>: hyper-parameters, the token-type count, and every tensor it creates as required.</summary>
    private static void CheckBert(IReadOnlyDictionary<string, GgufMetadataValue> metadata, IReadOnlyList<GgufTensorInfo> tensors)
    {
        Positive(metadata, "bert.context_length");
        var embedding = Positive(metadata, "bert.embedding_length");
        var layers = Positive(metadata, "bert.block_count");
        var heads = Positive(metadata, "bert.attention.head_count");
        Positive(metadata, "tokenizer.ggml.token_type_count");
        if (layers > MaxLayers)
        {
            throw Bad($"bert.block_count is {layers}; llama.cpp loads at most {MaxLayers} layers");
        }

        if (embedding % heads != 0)
        {
            throw Bad($"bert.embedding_length {embedding} is not a multiple of bert.attention.head_count {heads}");
        }

        if (!metadata.TryGetValue("bert.attention.layer_norm_epsilon", out var epsilon) || epsilon.Type != GgufValueType.Float32)
        {
            throw Bad("bert.attention.layer_norm_epsilon is missing or is not a float32");
        }

        var names = tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Require(names, "token_embd.weight", "position_embd.weight", "token_embd_norm.weight", "token_embd_norm.bias");
        for (var i = 0; i < layers; i++)
        {
            // One fused QKV matrix, or the three apart.
            if (!names.Contains($"blk.{i}.attn_qkv.weight"))
            {
                Require(names, $"blk.{i}.attn_q.weight", $"blk.{i}.attn_k.weight", $"blk.{i}.attn_v.weight");
            }

            Require(
                names,
                $"blk.{i}.attn_output.weight",
                $"blk.{i}.attn_output_norm.weight",
                $"blk.{i}.attn_output_norm.bias",
                $"blk.{i}.ffn_up.weight",
                $"blk.{i}.ffn_down.weight",
                $"blk.{i}.layer_output_norm.weight",
                $"blk.{i}.layer_output_norm.bias");
        }
    }

    private static long Positive(IReadOnlyDictionary<string, GgufMetadataValue> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !value.IsArray && value.TryGetInt64(out var number) && number > 0
            ? number
            : throw Bad($"{key} is missing or is not a positive integer");

    private static void Require(HashSet<string> names, params string[] required)
    {
        if (required.FirstOrDefault(r => !names.Contains(r)) is { } missing)
        {
            throw GgufValidator.Reject(GgufRejection.MissingTensor, $"tensor '{missing}' is missing");
        }
    }

    private static GgufFormatException Bad(string message) => GgufValidator.Reject(GgufRejection.BadArchitectureMetadata, message);
}
