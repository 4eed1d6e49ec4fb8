using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Decides whether a bundle folder may be installed, applying the acceptance rules in order and before any
/// artifact is read: the signature over <c>manifest.json</c>, then expiry (against the later of the device clock
/// and the newest trusted time seen), then the device class, then the sequence (newer than any accepted on the
/// channel), then the folder holding exactly the listed files. Artifact sizes and hashes are checked while they
/// are copied into staging (<see cref="ArtifactStager"/>).
/// </summary>
public sealed class BundleVerifier(MinisignVerifier signatures, UpdateStateStore state, string deviceClass)
{
    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.json.minisig";

    public BundleCheck Check(string bundleDirectory)
    {
        var manifestPath = Path.Combine(bundleDirectory, ManifestFile);
        var signaturePath = Path.Combine(bundleDirectory, SignatureFile);
        if (!IsPlainFile(manifestPath) || !IsPlainFile(signaturePath))
        {
            return new BundleCheck.Refused(BundleErrors.Incomplete, $"A bundle needs {ManifestFile} and {SignatureFile} as plain files.");
        }

        if (new FileInfo(manifestPath).Length > BundleManifestReader.MaxManifestBytes || new FileInfo(signaturePath).Length > MinisignSignature.MaxFileBytes)
        {
            return new BundleCheck.Refused(BundleErrors.ManifestInvalid, "The manifest or its signature is larger than allowed.");
        }

        var present = new DirectoryInfo(bundleDirectory).EnumerateFileSystemInfos()
            .Where(e => e.Name is not (ManifestFile or SignatureFile))
            .ToDictionary(e => e.Name, e => e is FileInfo { LinkTarget: null }, StringComparer.Ordinal);
        return Check(File.ReadAllBytes(manifestPath), File.ReadAllBytes(signaturePath), present);
    }

    /// <summary>
    /// The rules over a bundle's manifest and signature as read from any container, given the other entries it
    /// holds (name → whether it is a plain file).
    /// </summary>
    public BundleCheck Check(byte[] manifestBytes, byte[] signatureBytes, IReadOnlyDictionary<string, bool> entries)
    {
        var signature = signatures.Verify(new MemoryStream(manifestBytes), signatureBytes);
        if (signature is SignatureCheck.Refused refused)
        {
            return new BundleCheck.Refused(refused.Code, refused.Message);
        }

        var manifest = BundleManifestReader.TryRead(manifestBytes, out var invalid);
        if (manifest is null)
        {
            return new BundleCheck.Refused(BundleErrors.ManifestInvalid, invalid!);
        }

        var now = state.TrustedNow();
        if (manifest.Expires <= now)
        {
            return new BundleCheck.Refused(BundleErrors.Expired, $"The bundle expired at {manifest.Expires:O}; the trusted time is {now:O}.") { SignedManifest = manifest };
        }

        if (manifest.Target != deviceClass)
        {
            return new BundleCheck.Refused(BundleErrors.WrongTarget, $"The bundle targets '{manifest.Target}'; this device is '{deviceClass}'.") { SignedManifest = manifest };
        }

        var highest = state.HighestSequence(manifest.Channel);
        if (manifest.Sequence <= highest)
        {
            return new BundleCheck.Refused(BundleErrors.Replayed,
                $"Sequence {manifest.Sequence} on channel '{manifest.Channel}' is not newer than {highest}, the highest already accepted.") { SignedManifest = manifest };
        }

        return FilesMatch(manifest, entries) is { } mismatch
            ? mismatch with { SignedManifest = manifest }
            : new BundleCheck.Accepted(manifest, ((SignatureCheck.Valid)signature).TrustedComment);
    }

    private static BundleCheck.Refused? FilesMatch(BundleManifest manifest, IReadOnlyDictionary<string, bool> entries)
    {
        var listed = manifest.Artifacts.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        if (entries.Keys.FirstOrDefault(name => !listed.Contains(name)) is { } unlisted)
        {
            return new BundleCheck.Refused(BundleErrors.UnlistedFile, $"The bundle holds '{unlisted}', which its manifest does not list.");
        }

        var missing = manifest.Artifacts.FirstOrDefault(a => !entries.GetValueOrDefault(a.Name));
        return missing is null ? null : new BundleCheck.Refused(BundleErrors.ArtifactMissing, $"Artifact '{missing.Name}' is missing or not a plain file.");
    }

    private static bool IsPlainFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null;
    }
}
