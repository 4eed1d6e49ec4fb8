using EdgeLlm.Updates.Signing;

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

        var manifestBytes = File.ReadAllBytes(manifestPath);
        var signature = signatures.Verify(new MemoryStream(manifestBytes), File.ReadAllBytes(signaturePath));
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
            return new BundleCheck.Refused(BundleErrors.Expired, $"The bundle expired at {manifest.Expires:O}; the trusted time is {now:O}.");
        }

        if (manifest.Target != deviceClass)
        {
            return new BundleCheck.Refused(BundleErrors.WrongTarget, $"The bundle targets '{manifest.Target}'; this device is '{deviceClass}'.");
        }

        var highest = state.HighestSequence(manifest.Channel);
        if (manifest.Sequence <= highest)
        {
            return new BundleCheck.Refused(BundleErrors.Replayed,
                $"Sequence {manifest.Sequence} on channel '{manifest.Channel}' is not newer than {highest}, the highest already accepted.");
        }

        return (BundleCheck?)FilesMatch(bundleDirectory, manifest) ?? new BundleCheck.Accepted(manifest, ((SignatureCheck.Valid)signature).TrustedComment);
    }

    private static BundleCheck.Refused? FilesMatch(string bundleDirectory, BundleManifest manifest)
    {
        var listed = manifest.Artifacts.Select(a => a.Name).Append(ManifestFile).Append(SignatureFile).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(bundleDirectory).EnumerateFileSystemInfos())
        {
            if (!listed.Contains(entry.Name))
            {
                return new BundleCheck.Refused(BundleErrors.UnlistedFile, $"The bundle holds '{entry.Name}', which its manifest does not list.");
            }
        }

        var missing = manifest.Artifacts.FirstOrDefault(a => !IsPlainFile(Path.Combine(bundleDirectory, a.Name)));
        return missing is null ? null : new BundleCheck.Refused(BundleErrors.ArtifactMissing, $"Artifact '{missing.Name}' is missing or not a plain file.");
    }

    private static bool IsPlainFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null;
    }
}
