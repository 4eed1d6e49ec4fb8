using System.Net;
using System.Net.Http.Headers;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Pulls a bundle published as a folder over HTTP(S): <c>manifest.json</c> (with <c>If-None-Match</c>, so an
/// unchanged bundle costs one 304), its signature, and — only once the verifier accepted the manifest — each
/// artifact through <see cref="ArtifactDownload"/>: kept in <paramref name="downloads"/> across failed checks and
/// restarts, resumed with <c>Range</c>, cut off at its signed size and hashed whole, under an optional
/// <see cref="BandwidthLimiter"/>. Redirects are followed only within the same host; plain HTTP only to
/// allow-listed hosts. A server that stops answering is given up on after its <see cref="PullDeadlines"/>.
/// </summary>
public sealed class BundleDownloader(
    HttpClient http,
    BundleVerifier verifier,
    IReadOnlySet<string> plainHttpHosts,
    string downloads,
    RetryBackoff resumeBackoff,
    BandwidthLimiter? bandwidth = null,
    PullDeadlines? deadlines = null)
{
    private const int MaxRedirects = 5;

    internal BandwidthLimiter? Bandwidth => bandwidth;

    internal PullDeadlines Deadlines { get; } = deadlines ?? PullDeadlines.Default;

    /// <summary>
    /// Checks <paramref name="baseUri"/> for a bundle newer than <paramref name="etag"/> and stages it;
    /// <paramref name="admit"/> may refuse an accepted bundle before any of its artifacts is downloaded.
    /// </summary>
    public async Task<PullResult> PullAsync(
        Uri baseUri, string? etag, string stagingDirectory, CancellationToken cancellationToken, Func<BundleManifest, BundleCheck.Refused?>? admit = null)
    {
        if (Insecure(baseUri) is { } insecure)
        {
            return new PullResult.Refused(insecure);
        }

        var folder = FolderOf(baseUri);
        var (notModified, manifest, manifestETag) = await Deadlines.WithinAsync(Deadlines.Request, $"{folder.Host} did not send {BundleVerifier.ManifestFile}", async ct =>
        {
            using var response = await SendAsync(new Uri(folder, BundleVerifier.ManifestFile), etag, null, ct);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return (true, null, null);
            }

            response.EnsureSuccessStatusCode();
            return (false, await ReadLimitedAsync(response, BundleManifestReader.MaxManifestBytes, ct), response.Headers.ETag?.Tag);
        }, cancellationToken);
        if (notModified)
        {
            return new PullResult.NotModified();
        }

        var signature = await FetchAsync(new Uri(folder, BundleVerifier.SignatureFile), Signing.MinisignSignature.MaxFileBytes, cancellationToken);
        if (manifest is null || signature is null)
        {
            return new PullResult.Refused(new BundleCheck.Refused(BundleErrors.ManifestInvalid, "The manifest or its signature is larger than allowed."));
        }

        // The folder's listing is whatever the manifest names: only those files are ever fetched.
        var listed = BundleManifestReader.TryRead(manifest, out _)?.Artifacts.ToDictionary(a => a.Name, _ => true) ?? [];
        var check = verifier.Check(manifest, signature, listed);
        if (check is not BundleCheck.Accepted accepted)
        {
            return new PullResult.Refused((BundleCheck.Refused)check);
        }

        if (admit?.Invoke(accepted.Manifest) is { } inadmissible)
        {
            return new PullResult.Refused(inadmissible with { SignedManifest = accepted.Manifest });
        }

        Directory.CreateDirectory(stagingDirectory);
        ForgetOtherDownloads(accepted.Manifest);
        var download = new ArtifactDownload(this, resumeBackoff);
        foreach (var artifact in accepted.Manifest.Artifacts)
        {
            // Artifacts already downloaded stay in the downloads folder until the whole bundle is there.
            if (await download.RunAsync(new Uri(folder, Uri.EscapeDataString(artifact.Name)), artifact, downloads, cancellationToken) is { } refused)
            {
                return new PullResult.Refused(refused);
            }
        }

        var artifacts = accepted.Manifest.Artifacts;
        for (var i = 0; i < artifacts.Count; i++)
        {
            // Two names with the same content share one download: the last of them takes it.
            var kept = ArtifactDownload.PartialPath(downloads, artifacts[i]);
            var target = Path.Combine(stagingDirectory, artifacts[i].Name);
            if (artifacts.Skip(i + 1).Any(a => a.Sha256 == artifacts[i].Sha256))
            {
                File.Copy(kept, target, overwrite: true);
            }
            else
            {
                File.Move(kept, target, overwrite: true);
            }
        }

        return new PullResult.Staged(accepted, manifestETag);
    }

    /// <summary>
    /// A small file published beside the manifest (the channel index): its body, or null when the server has none
    /// (404) or it is larger than <paramref name="limit"/>. Never conditional: what it says must be fresh.
    /// </summary>
    public Task<byte[]?> FetchSmallAsync(Uri baseUri, string file, int limit, CancellationToken cancellationToken) =>
        FetchAsync(new Uri(FolderOf(baseUri), file), limit, cancellationToken, missingIsNull: true);

    /// <summary>The refusal of a source that is plain HTTP to a host not allow-listed.</summary>
    public BundleCheck.Refused? Insecure(Uri baseUri) =>
        baseUri.Scheme != Uri.UriSchemeHttps && !(baseUri.Scheme == Uri.UriSchemeHttp && plainHttpHosts.Contains(baseUri.Host))
            ? new BundleCheck.Refused("update_source_insecure", $"{baseUri.Host} is not allowed over plain HTTP; use HTTPS.")
            : null;

    private static Uri FolderOf(Uri baseUri) => baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");

    /// <summary>Bytes kept for artifacts the published bundle no longer lists will never be resumed.</summary>
    private void ForgetOtherDownloads(BundleManifest manifest)
    {
        if (!Directory.Exists(downloads))
        {
            return;
        }

        var wanted = manifest.Artifacts.Select(a => ArtifactDownload.PartialPath(downloads, a)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(downloads).Where(f => !wanted.Contains(f)))
        {
            File.Delete(file);
        }
    }

    internal async Task<HttpResponseMessage> SendAsync(Uri uri, string? etag, long? from, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (etag is not null)
            {
                request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
            }

            if (from is > 0)
            {
                request.Headers.Range = new RangeHeaderValue(from, null);
            }

            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is < 300 or >= 400 || response.StatusCode == HttpStatusCode.NotModified)
            {
                return response;
            }

            var location = response.Headers.Location;
            response.Dispose();
            var next = location is null ? null : new Uri(uri, location);
            if (next is null || next.Host != uri.Host || next.Scheme != uri.Scheme || redirects >= MaxRedirects)
            {
                throw new UpdateRedirectRefusedException($"Refused a redirect from {uri.Host} to {next?.Host ?? "nowhere"}: updates are only followed within the same host.");
            }

            uri = next;
        }
    }

    /// <summary>A small file whole within the request deadline; null when larger than <paramref name="limit"/> (or, when asked, missing).</summary>
    private Task<byte[]?> FetchAsync(Uri uri, int limit, CancellationToken cancellationToken, bool missingIsNull = false) =>
        Deadlines.WithinAsync(Deadlines.Request, $"{uri.Host} did not send {Path.GetFileName(uri.AbsolutePath)}", async ct =>
        {
            using var response = await SendAsync(uri, null, null, ct);
            if (missingIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            return await ReadLimitedAsync(response, limit, ct);
        }, cancellationToken);

    private static async Task<byte[]?> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>How a pull ended: nothing new (304), a bundle staged (with the ETag to send next time), or refused.</summary>
public abstract record PullResult
{
    public sealed record NotModified : PullResult;

    public sealed record Staged(BundleCheck.Accepted Bundle, string? ETag) : PullResult;

    public sealed record Refused(BundleCheck.Refused Reason) : PullResult;
}

/// <summary>A redirect away from the update host: refused at once, never retried.</summary>
public sealed class UpdateRedirectRefusedException(string message) : HttpRequestException(message);
