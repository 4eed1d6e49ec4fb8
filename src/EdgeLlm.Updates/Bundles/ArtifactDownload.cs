using System.Net;
using System.Security.Cryptography;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Pulls one artifact into <c>staging/downloads/&lt;sha256&gt;.partial</c>, which outlives a failed check and a
/// restart: the next attempt hashes the bytes kept and asks only for the rest with <c>Range</c>. Within an attempt a
/// broken connection (or one that sends nothing for <see cref="PullDeadlines.Stall"/>) is retried with back-off,
/// and only while bytes keep coming. The whole file, kept bytes included, must match the signed size and SHA-256
/// before it counts as downloaded (it is checked again at the next attempt if another artifact held the bundle
/// back); a file that does not is removed, and so is one that grows past its signed size.
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
        var kept = new Kept(IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        using var hash = kept.Hash;
        await using (var file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous))
        {
            kept.Bytes = await HashKeptAsync(file, artifact, hash, cancellationToken);
            var furthest = kept.Bytes;
            var failures = 0;
            while (kept.Bytes < artifact.Size)
            {
                try
                {
                    await ReceiveAsync(uri, artifact, file, kept, cancellationToken);
                    if (kept.Bytes < artifact.Size)
                    {
                        throw new IOException($"The server ended {artifact.Name} at byte {kept.Bytes} of {artifact.Size}.");
                    }
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or TimeoutException && ex is not UpdateRedirectRefusedException && !cancellationToken.IsCancellationRequested)
                {
                    // The file holds exactly the bytes hashed, whatever the failure left half-written.
                    file.SetLength(kept.Bytes);
                    file.Position = kept.Bytes;
                    (failures, furthest) = kept.Bytes > furthest ? (1, kept.Bytes) : (failures + 1, furthest);
                    if (failures > MaxFailedTries)
                    {
                        return new BundleCheck.Refused(BundleErrors.DownloadInterrupted,
                            $"The download of '{artifact.Name}' stopped at {kept.Bytes} of {artifact.Size} bytes ({ex.Message}); it resumes from there at the next check.");
                    }

                    await backoff.WaitAsync(failures, cancellationToken);
                }
            }

            file.Flush(flushToDisk: true);
        }

        var refused = ArtifactStager.Verdict(artifact, kept.Bytes, hash);
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
            file.Position = 0;
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

    /// <summary>One request for the bytes from <see cref="Kept.Bytes"/> on, appended and hashed as they come; one byte past the signed size means too large.</summary>
    private async Task ReceiveAsync(Uri uri, BundleArtifact artifact, FileStream file, Kept kept, CancellationToken cancellationToken)
    {
        var deadlines = downloader.Deadlines;
        var stalled = $"{uri.Host} sent nothing more of {artifact.Name}";
        using var response = await deadlines.WithinAsync(deadlines.Stall, stalled, ct => downloader.SendAsync(uri, null, kept.Bytes, ct), cancellationToken);
        if (kept.Bytes > 0 && response.StatusCode is HttpStatusCode.OK or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The server does not resume this file (or no longer has those bytes): start it over.
            var from = kept.Bytes;
            file.SetLength(0);
            file.Position = 0;
            kept.Hash.GetHashAndReset();
            kept.Bytes = 0;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new IOException($"The server refused to resume {artifact.Name} at byte {from}.");
            }
        }
        else if (kept.Bytes > 0 && (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != kept.Bytes))
        {
            throw new IOException($"The server did not resume {artifact.Name} at byte {kept.Bytes} (answered {(int)response.StatusCode}).");
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ArtifactStager.BufferBytes];
        int read;
        // No bytes for a whole stall deadline is a broken connection (resumed like a cut one); waits for the bandwidth cap do not count.
        while ((read = await deadlines.WithinAsync(deadlines.Stall, stalled, ct => body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, artifact.Size + 1 - kept.Bytes)), ct).AsTask(), cancellationToken)) > 0)
        {
            if (kept.Bytes + read > artifact.Size)
            {
                kept.Bytes += read;
                return;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            kept.Hash.AppendData(buffer, 0, read);
            kept.Bytes += read;
            if (downloader.Bandwidth is { } limiter)
            {
                await limiter.WaitAsync(read, cancellationToken);
            }
        }
    }

    /// <summary>The bytes the partial file holds and their running hash, which move together.</summary>
    private sealed class Kept(IncrementalHash hash)
    {
        public IncrementalHash Hash { get; } = hash;

        public long Bytes { get; set; }
    }
}
