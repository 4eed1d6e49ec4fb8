using System.Net;
using System.Net.Http.Headers;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Pulls a bundle published as a folder over HTTP(S): <c>manifest.json</c> (with <c>If-None-Match</c>, so an
/// unchanged bundle costs one 304), its signature, and — only once the verifier accepted the manifest — each
/// artifact, streamed through <see cref="ArtifactStager"/> (cut off at its signed size) and resumed with
/// <c>Range</c> after a broken connection, under an optional <see cref="BandwidthLimiter"/>. Redirects are followed
/// only within the same host; plain HTTP only to allow-listed hosts.
/// </summary>
public sealed class BundleDownloader(HttpClient http, BundleVerifier verifier, IReadOnlySet<string> plainHttpHosts, BandwidthLimiter? bandwidth = null)
{
    private const int MaxRedirects = 5;

    internal BandwidthLimiter? Bandwidth => bandwidth;

    private const int MaxResumes = 5;

    /// <summary>Checks <paramref name="baseUri"/> for a bundle newer than <paramref name="etag"/> and stages it.</summary>
    public async Task<PullResult> PullAsync(Uri baseUri, string? etag, string stagingDirectory, CancellationToken cancellationToken)
    {
        if (baseUri.Scheme != Uri.UriSchemeHttps && !(baseUri.Scheme == Uri.UriSchemeHttp && plainHttpHosts.Contains(baseUri.Host)))
        {
            return new PullResult.Refused(new BundleCheck.Refused("update_source_insecure", $"{baseUri.Host} is not allowed over plain HTTP; use HTTPS."));
        }

        var folder = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        using var manifestResponse = await SendAsync(new Uri(folder, BundleVerifier.ManifestFile), etag, null, cancellationToken);
        if (manifestResponse.StatusCode == HttpStatusCode.NotModified)
        {
            return new PullResult.NotModified();
        }

        manifestResponse.EnsureSuccessStatusCode();
        var manifest = await ReadLimitedAsync(manifestResponse, BundleManifestReader.MaxManifestBytes, cancellationToken);
        using var signatureResponse = await SendAsync(new Uri(folder, BundleVerifier.SignatureFile), null, null, cancellationToken);
        signatureResponse.EnsureSuccessStatusCode();
        var signature = await ReadLimitedAsync(signatureResponse, Signing.MinisignSignature.MaxFileBytes, cancellationToken);
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

        Directory.CreateDirectory(stagingDirectory);
        var staged = new List<string>();
        foreach (var artifact in accepted.Manifest.Artifacts)
        {
            var destination = Path.Combine(stagingDirectory, artifact.Name);
            var refused = await DownloadAsync(new Uri(folder, Uri.EscapeDataString(artifact.Name)), artifact, destination, cancellationToken);
            if (refused is not null)
            {
                // A bundle is staged whole or not at all.
                staged.ForEach(File.Delete);
                return new PullResult.Refused(refused);
            }

            staged.Add(destination);
        }

        return new PullResult.Staged(accepted, manifestResponse.Headers.ETag?.Tag);
    }

    private async Task<BundleCheck.Refused?> DownloadAsync(Uri uri, BundleArtifact artifact, string destination, CancellationToken cancellationToken)
    {
        var resumable = new ResumingStream(this, uri, cancellationToken);
        await using (resumable)
        {
            return await ArtifactStager.CopyAsync(resumable, artifact, destination, cancellationToken);
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
                throw new HttpRequestException($"Refused a redirect from {uri.Host} to {next?.Host ?? "nowhere"}: updates are only followed within the same host.");
            }

            uri = next;
        }
    }

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

    /// <summary>An artifact's body that reconnects with a Range request when the connection breaks mid-way.</summary>
    private sealed class ResumingStream(BundleDownloader downloader, Uri uri, CancellationToken cancellationToken) : Stream
    {
        private HttpResponseMessage? _response;
        private Stream? _body;
        private long _position;
        private int _resumes;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken token = default)
        {
            while (true)
            {
                try
                {
                    _body ??= await OpenAsync();
                    var read = await _body.ReadAsync(buffer, token);
                    _position += read;
                    if (downloader.Bandwidth is { } limiter)
                    {
                        await limiter.WaitAsync(read, token);
                    }

                    return read;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && _resumes < MaxResumes && !token.IsCancellationRequested)
                {
                    _resumes++;
                    await CloseAsync();
                }
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await CloseAsync();
            await base.DisposeAsync();
        }

        private async Task<Stream> OpenAsync()
        {
            _response = await downloader.SendAsync(uri, null, _position, cancellationToken);
            if (_position > 0 && _response.StatusCode != HttpStatusCode.PartialContent)
            {
                throw new IOException($"The server did not resume {uri} at byte {_position} (answered {(int)_response.StatusCode}).");
            }

            _response.EnsureSuccessStatusCode();
            return await _response.Content.ReadAsStreamAsync(cancellationToken);
        }

        private async Task CloseAsync()
        {
            if (_body is not null)
            {
                await _body.DisposeAsync();
            }

            _response?.Dispose();
            (_body, _response) = (null, null);
        }
    }
}

/// <summary>How a pull ended: nothing new (304), a bundle staged (with the ETag to send next time), or refused.</summary>
public abstract record PullResult
{
    public sealed record NotModified : PullResult;

    public sealed record Staged(BundleCheck.Accepted Bundle, string? ETag) : PullResult;

    public sealed record Refused(BundleCheck.Refused Reason) : PullResult;
}
