namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>Stable codes for a natives folder that cannot be used.</summary>
public static class NativeFolderErrors
{
    /// <summary>The folder has no <c>natives.manifest</c> (or does not exist).</summary>
    public const string ManifestMissing = "natives_manifest_missing";

    /// <summary>The manifest cannot be read: a malformed line, a missing key, a required library not listed.</summary>
    public const string ManifestInvalid = "natives_manifest_invalid";

    /// <summary>The manifest's <c>format</c> is not one this daemon reads.</summary>
    public const string FormatUnsupported = "natives_format_unsupported";

    /// <summary>The natives were built for another platform (<c>linux-arm64</c> on x86-64, …).</summary>
    public const string PlatformMismatch = "natives_platform_mismatch";

    /// <summary>A library the manifest lists is not in the folder.</summary>
    public const string FileMissing = "natives_file_missing";

    /// <summary>A library's sha256 differs from the manifest's: changed or damaged after the build.</summary>
    public const string FileChanged = "natives_file_changed";

    /// <summary><c>llama.abi</c> is missing or differs from the manifest's <c>abi_sha256</c>.</summary>
    public const string AbiChanged = "natives_abi_changed";

    /// <summary><c>llama.abi</c> cannot be read.</summary>
    public const string AbiInvalid = "natives_abi_invalid";

    /// <summary>The natives' C interface differs from what LLamaSharp marshals.</summary>
    public const string AbiMismatch = "natives_abi_mismatch";

    /// <summary>The libraries loaded but do not work as LLamaSharp needs (a missing export, no CPU backend).</summary>
    public const string LoadFailed = "natives_load_failed";
}
