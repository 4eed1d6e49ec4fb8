namespace EdgeLlm.Updates.Bundles;

/// <summary>Whether a bundle may be installed: its manifest, or the first rule it broke with a stable code.</summary>
public abstract record BundleCheck
{
    public sealed record Accepted(BundleManifest Manifest, string TrustedComment) : BundleCheck;

    public sealed record Refused(string Code, string Message) : BundleCheck
    {
        /// <summary>The manifest when its signature verified and only a later rule refused it (it is then truly the publisher's word); else null.</summary>
        public BundleManifest? SignedManifest { get; init; }
    }
}

/// <summary>Stable codes of a refused bundle (signature codes come from <see cref="Signing.SignatureErrors"/>).</summary>
public static class BundleErrors
{
    public const string Incomplete = "bundle_incomplete";
    public const string UnlistedFile = "bundle_unlisted_file";
    public const string HostileEntry = "bundle_hostile_entry";
    public const string ManifestInvalid = "bundle_manifest_invalid";
    public const string Expired = "bundle_expired";
    public const string WrongTarget = "bundle_wrong_target";
    public const string Replayed = "bundle_replayed";
    public const string ArtifactMissing = "artifact_missing";
    public const string ArtifactSizeMismatch = "artifact_size_mismatch";
    public const string ArtifactTooLarge = "artifact_too_large";
    public const string ArtifactHashMismatch = "artifact_hash_mismatch";

    /// <summary>A pull's download broke off and kept failing; the bytes received are kept and resumed at the next check.</summary>
    public const string DownloadInterrupted = "download_interrupted";

    /// <summary>The server redirected the pull to another host or scheme; a setting or a mirror to fix, never retried sooner.</summary>
    public const string RedirectRefused = "update_redirect_refused";

    /// <summary>Reading or writing the bundle failed on this side (a disk, a broken upload): the bundle was not judged.</summary>
    public const string StagingFailed = "staging_failed";
}
