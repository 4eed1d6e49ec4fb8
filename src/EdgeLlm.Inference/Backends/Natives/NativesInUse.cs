namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>Which llama.cpp libraries this process runs on.</summary>
public enum NativesOrigin
{
    /// <summary>A natives folder built by <c>scripts/build-natives.sh</c> for this machine.</summary>
    Built,

    /// <summary>The libraries that come with LLamaSharp's backend package.</summary>
    LLamaSharp,
}

/// <summary>The natives this process runs on, and why those.</summary>
/// <param name="Origin">Built natives, or LLamaSharp's own.</param>
/// <param name="Folder">The built folder; for LLamaSharp's own, the folder its libllama.so was loaded from (empty before loading).</param>
/// <param name="Source">The llama.cpp source the built natives come from (null for LLamaSharp's own).</param>
/// <param name="Patches">The patches applied to that source, space-separated, or "none".</param>
/// <param name="Reason">Why these natives: for LLamaSharp's own, why built ones were not used.</param>
/// <param name="RefusedCode">When a built folder was refused, its <see cref="NativeFolderErrors"/> code.</param>
/// <param name="AllowedDifferences">The allowed ABI differences, with their reasons, for built natives.</param>
public sealed record NativesInUse(
    NativesOrigin Origin,
    string Folder,
    string? Source,
    string? Patches,
    string Reason,
    string? RefusedCode,
    IReadOnlyList<string> AllowedDifferences)
{
    /// <summary>The LLamaSharp release whose marshalling the natives were checked against.</summary>
    public string LLamaSharpVersion => AllowedAbiDifferences.LLamaSharpVersion;
}

/// <summary>The outcome of choosing the natives: what runs, or why the configured folder stops the daemon.</summary>
public sealed record NativeSelection(NativesInUse? Natives, string? ErrorCode, string Message)
{
    public bool Failed => ErrorCode is not null;
}
