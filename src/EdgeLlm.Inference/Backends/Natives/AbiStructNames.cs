namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Which C struct each LLamaSharp struct stands for. Written by hand because LLamaSharp's names are its own; a
/// struct the reflection finds with no entry here is reported as a mismatch, so a new one cannot slip through.
/// </summary>
internal static class AbiStructNames
{
    private static readonly Dictionary<string, AbiStructMapping> ByManagedName = new(StringComparer.Ordinal)
    {
        ["LLama.Native.LLamaContextParams"] = AbiStructMapping.Struct("llama_context_params"),
        ["LLama.Native.LLamaModelParams"] = AbiStructMapping.Struct("llama_model_params"),
        ["LLama.Native.LLamaModelTensorBufferOverride"] = AbiStructMapping.Struct("llama_model_tensor_buft_override"),
        ["LLama.Native.LLamaModelMetadataOverride"] = AbiStructMapping.Struct("llama_model_kv_override"),
        ["LLama.Native.LLamaModelQuantizeParams"] = AbiStructMapping.Struct("llama_model_quantize_params"),
        ["LLama.Native.LLamaNativeBatch"] = AbiStructMapping.Struct("llama_batch"),
        ["LLama.Native.LLamaChatMessage"] = AbiStructMapping.Struct("llama_chat_message"),
        ["LLama.Native.LLamaPerfContextTimings"] = AbiStructMapping.Struct("llama_perf_context_data"),
        ["LLama.Native.LLamaSamplerINative"] = AbiStructMapping.Struct("llama_sampler_i"),
        ["LLama.Native.LLamaSamplerNative"] = AbiStructMapping.Struct("llama_sampler"),
        ["LLama.Native.LLamaSamplerChainParams"] = AbiStructMapping.Struct("llama_sampler_chain_params"),
        ["LLama.Native.LLamaTokenDataArrayNative"] = AbiStructMapping.Struct("llama_token_data_array"),
        ["LLama.Native.LLamaTokenData"] = AbiStructMapping.Struct("llama_token_data"),
        ["LLama.Native.LLamaLogitBias"] = AbiStructMapping.Struct("llama_logit_bias"),
        ["LLama.Native.NativeApi+mtmd_context_params"] = AbiStructMapping.Struct("mtmd_context_params"),
        ["LLama.Native.NativeApi+mtmd_decoder_pos"] = AbiStructMapping.Struct("mtmd_decoder_pos"),
        ["LLama.Native.NativeApi+mtmd_input_text_native"] = AbiStructMapping.Struct("mtmd_input_text"),
        ["LLama.Native.NativeApi+mtmd_helper_bitmap_wrapper"] = AbiStructMapping.Struct("mtmd_helper_bitmap_wrapper"),

        // llama_token, llama_pos and llama_seq_id are int32_t typedefs; LLamaSharp wraps each in a struct.
        ["LLama.Native.LLamaToken"] = AbiStructMapping.Int32,
        ["LLama.Native.LLamaPos"] = AbiStructMapping.Int32,
        ["LLama.Native.LLamaSeqId"] = AbiStructMapping.Int32,

        // Only ever behind a pointer (llama_vocab is opaque in llama.h): nothing of it is laid out in managed code.
        ["LLama.Native.LLamaVocabNative"] = AbiStructMapping.Opaque("llama_vocab"),
    };

    public static AbiStructMapping? For(Type managed) => ByManagedName.GetValueOrDefault(managed.FullName ?? managed.Name);
}

/// <summary>How a managed struct corresponds to C: a struct of that name, an <c>int32_t</c> typedef, or an opaque type.</summary>
internal sealed record AbiStructMapping(AbiStructMappingKind Kind, string CName)
{
    public static readonly AbiStructMapping Int32 = new(AbiStructMappingKind.Int32, "int32_t");

    public static AbiStructMapping Struct(string cName) => new(AbiStructMappingKind.Struct, cName);

    public static AbiStructMapping Opaque(string cName) => new(AbiStructMappingKind.Opaque, cName);
}

internal enum AbiStructMappingKind
{
    Struct,
    Int32,
    Opaque,
}
