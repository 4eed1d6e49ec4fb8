namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// The only differences between LLamaSharp 0.30.0's view of llama.cpp and the natives' source that the ABI check
/// lets pass, each with the reason it cannot hurt EdgeLlm. A reason holds only while EdgeLlm stays away from the
/// LLamaSharp API named in <see cref="AllowedAbiDifference.GuardedApis"/>: a test fails when any source file under
/// <c>src/</c> uses one.
/// </summary>
internal static class AllowedAbiDifferences
{
    /// <summary>The LLamaSharp version these differences were judged against (its assembly carries no version of its own).</summary>
    public const string LLamaSharpVersion = "0.30.0";

    private const string NeverExported =
        "LLamaSharp 0.30.0 declares it, but no llama.cpp exports it (LLamaSharp's own natives neither): a stale declaration. The runtime binds an import at its first call, so only a call would fail, and EdgeLlm makes none.";

    private const string NoMultimodal =
        "LLamaSharp's multimodal (mtmd) imports disagree with mtmd.h (a wrong entry point, a changed signature, a 4-byte bool for _Bool) — allowed because EdgeLlm never uses LLamaSharp's multimodal API.";

    public static IReadOnlyList<AllowedAbiDifference> All { get; } =
    [
        new(AbiSubject.Struct, "llama_sampler_i", ["size", "backend_reset", "copy_state"],
            "C has trailing fields backend_reset, copy_state (LLamaSharp's LLamaSamplerINative is 80 bytes) — allowed because EdgeLlm never creates a LLamaSharp custom sampler, the only use that allocates the struct on the managed side.",
            ["ICustomSampler", "CustomSampler", "AddCustom"]),
        new(AbiSubject.Struct, "llama_context_params", ["n_outputs_max_per_seq"],
            "b10361's new field, which native/patches moved into the padding LLamaSharp leaves at offset 84 so every other field keeps its offset; LLamaSharp never writes it, so llama.cpp reads the default it filled in or 0 (= n_outputs_max). It bounds only backend sampling (llama_context_params.samplers), which EdgeLlm never configures.",
            ["n_samplers", ".samplers ="]),
        new(AbiSubject.Function, "llama_log_set", [],
            "C takes (callback, user_data); LLamaSharp passes no user_data. llama.cpp only hands user_data back to the callback, whose LLamaSharp delegate does not read it.",
            []),
        new(AbiSubject.Function, "llama_detokenize", ["parameter 6", "parameter 7"],
            "LLamaSharp passes remove_special/unparse_special as 4-byte BOOLs where C has _Bool — allowed because LLamaSharp declares the import internal and never calls it (EdgeLlm detokenizes through llama_token_to_piece).",
            ["llama_detokenize"]),
        new(AbiSubject.Function, "llama_print_timings", [], NeverExported, ["llama_print_timings"]),
        new(AbiSubject.Function, "llama_model_apply_lora_from_file", [], NeverExported, ["llama_model_apply_lora_from_file", "ApplyLora"]),
        new(AbiSubject.Function, "llama_adapter_meta_val_by_index", [], NeverExported, ["llama_adapter_meta", "LoraAdapter"]),
        new(AbiSubject.Function, "llama_sampler_init_grammar_lazy_patterns", [],
            "b10361 takes 7 parameters, LLamaSharp 0.30.0 passes 6 — allowed because EdgeLlm never adds a lazy grammar sampler (its lazy grammars are armed in managed code; the plain grammar sampler's ABI is the same in both).",
            ["AddLazyGrammar", "llama_sampler_init_grammar_lazy"]),
        new(AbiSubject.Function, "llama_sampler_init_dry", [],
            "b10361 dropped n_ctx_train (7 parameters), LLamaSharp 0.30.0 passes 8 — allowed because EdgeLlm never adds a DRY sampler.",
            ["AddDry", "llama_sampler_init_dry"]),
        new(AbiSubject.Function, "mtmd_context_params_default", [], NoMultimodal, ["Mtmd", "mtmd_"]),
        new(AbiSubject.Function, "mtmd_decode_use_non_causal", [], NoMultimodal, ["Mtmd", "mtmd_"]),
        new(AbiSubject.Function, "mtmd_helper_bitmap_init_from_file", ["parameter 3"], NoMultimodal, ["Mtmd", "mtmd_"]),
        new(AbiSubject.Function, "mtmd_helper_bitmap_init_from_buf", ["parameter 4"], NoMultimodal, ["Mtmd", "mtmd_"]),
    ];

    /// <summary>The entry that allows <paramref name="mismatch"/>, or null.</summary>
    public static AllowedAbiDifference? Find(AbiMismatch mismatch) => All.FirstOrDefault(a => a.Allows(mismatch));
}

/// <summary>One allowed difference: which struct or function, which of its members (null: the whole), and why.</summary>
/// <param name="Subject">A struct or a function.</param>
/// <param name="Name">Its C name.</param>
/// <param name="Members">The members allowed to differ (<c>size</c>, a field, <c>parameter N</c>, <c>return</c>); empty: only the whole (a missing function, a parameter count).</param>
/// <param name="Reason">Why this difference cannot hurt EdgeLlm.</param>
/// <param name="GuardedApis">LLamaSharp API names whose use in <c>src/</c> would make the difference matter.</param>
internal sealed record AllowedAbiDifference(AbiSubject Subject, string Name, IReadOnlyList<string> Members, string Reason, IReadOnlyList<string> GuardedApis)
{
    public bool Allows(AbiMismatch mismatch) =>
        mismatch.Subject == Subject && mismatch.Name == Name && (mismatch.Member is null ? Members.Count == 0 : Members.Contains(mismatch.Member));
}
