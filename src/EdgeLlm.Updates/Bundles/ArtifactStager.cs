using System.Security.Cryptography;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Copies one artifact into staging while hashing it, in the same single read: at most the signed size is
/// accepted (a source that sends more is cut off at size + 1 byte), and the file appears under its final name
/// only when its size and SHA-256 match the manifest. A refused copy leaves nothing behind.
/// </summary>
public static class ArtifactStager
{
    private const int BufferBytes = 1 << 20;

    public static async Task<BundleCheck.Refused?> CopyAsync(Stream source, BundleArtifact artifact, string destination, CancellationToken cancellationToken)
    {
        var partial = destination + ".partial";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferBytes];
        long copied = 0;
        try
        {
            await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, artifact.Size + 1 - copied)), cancellationToken)) > 0)
                {
                    copied += read;
                    if (copied > artifact.Size)
                    {
                        File.Delete(partial);
                        return new BundleCheck.Refused(BundleErrors.ArtifactTooLarge, $"Artifact '{artifact.Name}' is larger than its signed {artifact.Size} bytes.");
                    }

                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await target.FlushAsync(cancellationToken);
                target.Flush(flushToDisk: true);
            }

            if (copied != artifact.Size)
            {
                File.Delete(partial);
                return new BundleCheck.Refused(BundleErrors.ArtifactSizeMismatch, $"Artifact '{artifact.Name}' has {copied} bytes; the manifest signs {artifact.Size}.");
            }

            if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), artifact.Sha256, StringComparison.Ordinal))
            {
                File.Delete(partial);
                return new BundleCheck.Refused(BundleErrors.ArtifactHashMismatch, $"Artifact '{artifact.Name}' does not match its signed SHA-256.");
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
}
