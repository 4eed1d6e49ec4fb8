using System.Security.Cryptography;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Copies one artifact into staging while hashing it, in the same single read: at most the signed size is
/// accepted (a source that sends more is cut off at size + 1 byte), and the file appears under its final name
/// only when its size and SHA-256 match the manifest. A refused copy leaves nothing behind.
/// </summary>
public static class ArtifactStager
{
    internal const int BufferBytes = 1 << 20;

    public static async Task<BundleCheck.Refused?> CopyAsync(Stream source, BundleArtifact artifact, string destination, CancellationToken cancellationToken)
    {
        var partial = destination + ".partial";
        try
        {
            BundleCheck.Refused? refused;
            await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous))
            {
                refused = await ReadCheckedAsync(source, artifact, target, cancellationToken);
                await target.FlushAsync(cancellationToken);
                target.Flush(flushToDisk: true);
            }

            if (refused is not null)
            {
                File.Delete(partial);
                return refused;
            }

            File.Move(partial, destination, overwrite: true);
            return null;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Reads <paramref name="source"/> to its end and checks its size and SHA-256 against the manifest, writing nothing.</summary>
    public static Task<BundleCheck.Refused?> CheckAsync(Stream source, BundleArtifact artifact, CancellationToken cancellationToken) =>
        ReadCheckedAsync(source, artifact, null, cancellationToken);

    /// <summary>The refusal when <paramref name="hash"/> (over <paramref name="bytes"/> bytes) is not the artifact's signed size and SHA-256.</summary>
    internal static BundleCheck.Refused? Verdict(BundleArtifact artifact, long bytes, IncrementalHash hash)
    {
        if (bytes > artifact.Size)
        {
            return TooLarge(artifact);
        }

        if (bytes != artifact.Size)
        {
            return new BundleCheck.Refused(BundleErrors.ArtifactSizeMismatch, $"Artifact '{artifact.Name}' has {bytes} bytes; the manifest signs {artifact.Size}.");
        }

        return string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), artifact.Sha256, StringComparison.Ordinal)
            ? null
            : new BundleCheck.Refused(BundleErrors.ArtifactHashMismatch, $"Artifact '{artifact.Name}' does not match its signed SHA-256.");
    }

    internal static BundleCheck.Refused TooLarge(BundleArtifact artifact) =>
        new(BundleErrors.ArtifactTooLarge, $"Artifact '{artifact.Name}' is larger than its signed {artifact.Size} bytes.");

    private static async Task<BundleCheck.Refused?> ReadCheckedAsync(Stream source, BundleArtifact artifact, Stream? target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferBytes];
        long copied = 0;
        int read;
        while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, artifact.Size + 1 - copied)), cancellationToken)) > 0)
        {
            copied += read;
            if (copied > artifact.Size)
            {
                return TooLarge(artifact);
            }

            hash.AppendData(buffer, 0, read);
            if (target is not null)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        return Verdict(artifact, copied, hash);
    }
}
