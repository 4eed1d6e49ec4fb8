namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// The only differences between LLamaSharp 0.30.0's view of llama.cpp and the natives' source that the ABI check
/// lets pass, each with the reason it cannot hurt EdgeLlm. A reason holds only while EdgeLlm stays away from the
/// LLamaSharp API named in <see cref="AllowedAbiDifference.GuardedApis"/>: a test fails when any source file under
/// <c>src/</c> uses one.
/// </summary>
public static class AllowedAbiDifferences
{
    public static IReadOnlyList<AllowedAbiDifference> All { get; } =
    [
        new(AbiSubject.Struct, "llama_sampler_i", ["size", "backend_reset", "copy_state"],
            "C has trailing fields backend_reset, copy_state (LLamaSharp's LLamaSamplerINative is 80 bytes) — allowed because EdgeLlm never creates a LLamaSharp custom sampler, the only use that allocates the struct on the managed side.",
            ["ICustomSampler", "CustomSampler", "AddCustom"]),
    ];

    /// <summary>The entry that allows <paramref name="mismatch"/>, or null.</summary>
    public static AllowedAbiDifference? Find(AbiMismatch mismatch) => All.FirstOrDefault(a => a.Allows(mismatch));
}

/// <summary>One allowed difference: which struct or function, which of its members (null: the whole), and why.</summary>
/// <param name="Subject">A struct or a function.</param>
/// <param name="Name">Its C name.</param>
/// <param name="Members">The members allowed to differ (<c>size</c>, a field, <c>parameter N</c>, <c>return</c>); empty: only the whole (a missing function).</param>
/// <param name="Reason">Why this difference cannot hurt EdgeLlm.</param>
/// <param name="GuardedApis">LLamaSharp API names whose use in <c>src/</c> would make the difference matter.</param>
public sealed record AllowedAbiDifference(AbiSubject Subject, string Name, IReadOnlyList<string> Members, string Reason, IReadOnlyList<string> GuardedApis)
{
    public bool Allows(AbiMismatch mismatch) =>
        mismatch.Subject == Subject && mismatch.Name == Name && (mismatch.Member is null ? Members.Count == 0 : Members.Contains(mismatch.Member));
}
