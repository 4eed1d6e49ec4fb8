using System.Net;
using System.Security.Cryptography;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Pulls one artifact into <c>staging/downloads/&lt;sha256&gt;.partial</c>, which outlives a failed check and a
/// restart: the next attempt hashes the bytes kept and asks only for the rest with <c>Range</c>. Within an attempt a
/// broken connection is retried with back-off, and only while bytes keep coming. The whole file, kept bytes
/// included, must match the signed size and SHA-256 before it counts as downloaded (it is checked again at the
/// next attempt if another artifact held the bundle back); a file that does not is removed, and so is one that
/// grows past its signed size.
/// </summary>
internal sealed class ArtifactDownload(BundleDownloader downloader, RetryBackoff backoff)
{
    /// <summary>Failed tries in a row, without a byte beyond the furthest reached, before the attempt gives up (keeping the bytes).</summary>
    public const int MaxFailedTries = 5;

    /// <summary>Where the bytes of <paramref name="artifact"/> are kept: named by its signed hash, so only the same file resumes them.</summary>
    public static string PartialPath(string downloads, BundleArtifact artifact) => Path.Combine(downloads, artifact.Sha256 + ".partial");

    /// <summary>Fills <see cref="PartialPath"/> with the artifact, checked whole; the refusal when it could not.</summary>
    public async Task<BundleCheck.Refused?> RunAsync(Uri uri, BundleArtifact artifact, string downloads, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(downloads);
        var partial = PartialPath(downloads, artifact);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long have;
        await using (var file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous))
        {
            have = await HashKeptAsync(file, artifact, hash, cancellationToken);
            var furthest = have;
            var failures = 0;
            while (have < artifact.Size)
            {
                try
                {
                    have = await ReceiveAsync(uri, artifact, file, hash, have, cancellationToken);
                    if (have < artifact.Size)
                    {
                        throw new IOException($"The server ended {artifact.Name} at byte {have} of {artifact.Size}.");
                    }
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && ex is not UpdateRedirectRefusedException && !cancellationToken.IsCancellationRequested)
                {
                    (failures, furthest) = have > furthest ? (1, have) : (failures + 1, furthest);
                    if (failures > MaxFailedTries)
                    {
                        return new BundleCheck.Refused(BundleErrors.DownloadInterrupted,
                            $"The download of '{artifact.Name}' stopped at {have} of {artifact.Size} bytes ({ex.Message}); it resumes from there at the next check.");
                    }

                    await backoff.WaitAsync(failures, cancellationToken);
                }
            }

            file.Flush(flushToDisk: true);
        }

        var refused = ArtifactStager.Verdict(artifact, have, hash);
        if (refused is not null)
        {
            File.Delete(partial);
        }

        return refused;
    }

    /// <summary>Hashes the bytes kept from an earlier attempt; drops them when there are more than the artifact can have.</summary>
    private static async Task<long> HashKeptAsync(FileStream file, BundleArtifact artifact, IncrementalHash hash, CancellationToken cancellationToken)
    {
        if (file.Length > artifact.Size)
        {
            file.SetLength(0);
            return 0;
        }

        var buffer = new byte[ArtifactStager.BufferBytes];
        long kept = 0;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            kept += read;
        }

        return kept;
    }

    /// <summary>One request for the bytes from <paramref name="have"/> on; returns how many the file holds now (one past the signed size means too large).</summary>
    private async Task<long> ReceiveAsync(Uri uri, BundleArtifact artifact, FileStream file, IncrementalHash hash, long have, CancellationToken cancellationToken)
    {
        using var response = await downloader.SendAsync(uri, null, have, cancellationToken);
        if (have > 0 && response.StatusCode is HttpStatusCode.OK or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The server does not resume this file (or no longer has those bytes): start it over.
            file.SetLength(0);
            hash.GetHashAndReset();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new IOException($"The server refused to resume {artifact.Name} at byte {have}.");
            }

            have = 0;
        }
        else if (have > 0 && (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != have))
        {
            throw new IOException($"The server did not resume {artifact.Name} at byte {have} (answered {(int)response.StatusCode}).");
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ArtifactStager.BufferBytes];
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, artifact.Size + 1 - have)), cancellationToken)) > 0)
        {
            if (have + read > artifact.Size)
            {
                return have + read;
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            have += read;
            if (downloader.Bandwidth is { } limiter)
            {
                await limiter.WaitAsync(read, cancellationToken);
            }
        }

        return have;
    }
}
