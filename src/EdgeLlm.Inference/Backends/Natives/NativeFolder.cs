using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Checks a natives folder before anything in it is loaded: its manifest, the platform it was built for, every
/// library against its sha256, <c>llama.abi</c> against the manifest, and that ABI against what LLamaSharp marshals.
/// </summary>
internal static class NativeFolder
{
    public const string AbiFileName = "llama.abi";

    /// <summary>This process's platform as the manifest names it: <c>linux-x64</c> or <c>linux-arm64</c>.</summary>
    public static string CurrentPlatform { get; } =
        (OperatingSystem.IsLinux() ? "linux-" : "unsupported-") + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    public static bool HasManifest(string folder) => File.Exists(Path.Combine(folder, NativesManifest.FileName));

    public static NativeFolderValidation Validate(string folder, ManagedInterop managed, string platform)
    {
        folder = Path.GetFullPath(folder);
        var manifestPath = Path.Combine(folder, NativesManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return NativeFolderValidation.Failed(folder, null, NativeFolderErrors.ManifestMissing, $"{folder} has no {NativesManifest.FileName}.");
        }

        var read = NativesManifest.Read(manifestPath);
        if (read.Manifest is not { } manifest)
        {
            return NativeFolderValidation.Failed(folder, null, NativeFolderErrors.ManifestInvalid, read.Error!);
        }

        if (manifest.Format != 1)
        {
            return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.FormatUnsupported, $"its manifest has format={manifest.Format}; this daemon reads format=1.");
        }

        if (manifest.Platform != platform)
        {
            return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.PlatformMismatch, $"the natives were built for {manifest.Platform}, this machine is {platform}.");
        }

        if (NativesManifest.RequiredLibraries.FirstOrDefault(l => !manifest.Files.ContainsKey(l)) is { } unlisted)
        {
            return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.ManifestInvalid, $"its manifest lists no {unlisted}.");
        }

        foreach (var (name, sha256) in manifest.Files)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.FileMissing, $"{name} is listed in the manifest but not in the folder.");
            }

            if (Sha256(path) != sha256)
            {
                return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.FileChanged, $"{name} does not have the sha256 the manifest records: it changed after the build.");
            }
        }

        var abiPath = Path.Combine(folder, AbiFileName);
        if (!File.Exists(abiPath) || Sha256(abiPath) != manifest.AbiSha256)
        {
            return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.AbiChanged, $"{AbiFileName} is missing or does not have the manifest's abi_sha256.");
        }

        var parsed = AbiDescriptionParser.ParseFile(abiPath);
        if (parsed.Description is not { } abi)
        {
            return NativeFolderValidation.Failed(folder, manifest, NativeFolderErrors.AbiInvalid, $"{AbiFileName} cannot be read: {parsed.Error}");
        }

        var comparison = AbiComparer.Compare(managed, abi);
        if (!comparison.Matches)
        {
            return new NativeFolderValidation(folder, manifest, abi, NativeFolderErrors.AbiMismatch,
                $"their C interface differs from what LLamaSharp marshals in {comparison.Mismatches.Count} place(s): {string.Join("; ", comparison.Mismatches.Take(5))}",
                comparison);
        }

        return new NativeFolderValidation(folder, manifest, abi, null, $"{manifest.Source}, patches {Patches(manifest)}, ABI checked ({comparison.Allowed.Count} allowed difference(s)).", comparison);
    }

    internal static string Patches(NativesManifest manifest) => manifest.Patches.Count == 0 ? "none" : string.Join(" ", manifest.Patches);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>The outcome of checking a natives folder: usable (no error code), or a stable code and the reason.</summary>
/// <param name="Folder">The folder, as a full path.</param>
/// <param name="Manifest">Its manifest, when it could be read.</param>
/// <param name="Abi">Its ABI description, when it could be read.</param>
/// <param name="ErrorCode">One of <see cref="NativeFolderErrors"/>; null when the folder can be used.</param>
/// <param name="Message">The reason, or a one-line summary of what the folder holds.</param>
/// <param name="Comparison">The ABI comparison, when it was made.</param>
internal sealed record NativeFolderValidation(
    string Folder,
    NativesManifest? Manifest,
    AbiDescription? Abi,
    string? ErrorCode,
    string Message,
    AbiComparison? Comparison)
{
    public bool Valid => ErrorCode is null;

    internal static NativeFolderValidation Failed(string folder, NativesManifest? manifest, string code, string message) =>
        new(folder, manifest, null, code, message, null);
}
