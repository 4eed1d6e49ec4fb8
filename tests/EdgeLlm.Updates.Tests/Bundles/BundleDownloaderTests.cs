using System.Net;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;
using EdgeLlm.Updates.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>Pulling a signed bundle from a real HTTP server on loopback: 304s, a cut connection resumed, an endless body cut off, foreign redirects refused.</summary>
public sealed class BundleDownloaderTests : IAsyncLifetime
{
    private readonly Minisign _minisign = new();
    private readonly List<string> _ranges = [];
    private string _bundle = "";
    private WebApplication? _server;
    private Uri _base = null!;
    private string _artifactMode = "whole";

    public async Task InitializeAsync()
    {
        var key = _minisign.CreateKey("publisher");
        _bundle = SignedBundle.Create(_minisign, "publisher", 3, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1),
            artifacts: new() { ["model.gguf"] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 << 20) });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/bundle/{file}", (HttpContext http, string file) => Serve(http, file));
        await _server.StartAsync();
        _base = new Uri(_server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/bundle/");
        Verifier = new MinisignVerifier(TrustedKeyRing.Load(Path.GetDirectoryName(key)!), false);
    }

    private MinisignVerifier Verifier { get; set; } = null!;

    [Fact]
    public async Task ABundleIsStagedAndAnUnchangedOneCostsA304()
    {
        var first = await PullAsync(null);
        var staged = Assert.IsType<PullResult.Staged>(first);
        var again = await PullAsync(staged.ETag);

        Assert.NotNull(staged.ETag);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle, "model.gguf")), File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
        Assert.IsType<PullResult.NotModified>(again);
    }

    [Fact]
    public async Task ACutConnectionIsResumedWithARangeRequest()
    {
        _artifactMode = "cut once";

        var result = await PullAsync(null);

        Assert.IsType<PullResult.Staged>(result);
        Assert.Contains(_ranges, r => r.StartsWith("bytes=", StringComparison.Ordinal) && r != "bytes=0-");
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle, "model.gguf")), File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task AnEndlessBodyIsCutOffAtTheSignedSizeAndNothingIsStaged()
    {
        _artifactMode = "endless";

        var result = await PullAsync(null);

        Assert.Equal(BundleErrors.ArtifactTooLarge, Assert.IsType<PullResult.Refused>(result).Reason.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
    }

    [Fact]
    public async Task ARedirectToAnotherHostIsRefused()
    {
        _artifactMode = "redirect elsewhere";

        await Assert.ThrowsAsync<HttpRequestException>(() => PullAsync(null));
        Assert.False(File.Exists(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task PlainHttpToAHostNotAllowListedIsRefused()
    {
        using var state = new UpdateStateStore(Path.Combine(_minisign.Folder, "state.db"), TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var downloader = new BundleDownloader(http, new BundleVerifier(Verifier, state, "default"), new HashSet<string>());

        var result = await downloader.PullAsync(_base, null, Staging, CancellationToken.None);

        Assert.Equal("update_source_insecure", Assert.IsType<PullResult.Refused>(result).Reason.Code);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _minisign.Dispose();
    }

    private string Staging => Path.Combine(_minisign.Folder, "staging");

    private async Task<PullResult> PullAsync(string? etag)
    {
        using var state = new UpdateStateStore(Path.Combine(_minisign.Folder, "state.db"), TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var downloader = new BundleDownloader(http, new BundleVerifier(Verifier, state, "default"), new HashSet<string> { "127.0.0.1" });
        return await downloader.PullAsync(_base, etag, Staging, CancellationToken.None);
    }

    private async Task Serve(HttpContext http, string file)
    {
        var path = Path.Combine(_bundle, Path.GetFileName(file));
        if (file == "model.gguf")
        {
            _ranges.Add(http.Request.Headers.Range.ToString());
            switch (_artifactMode)
            {
                case "endless":
                    var junk = new byte[65536];
                    while (!http.RequestAborted.IsCancellationRequested)
                    {
                        await http.Response.Body.WriteAsync(junk, http.RequestAborted);
                    }

                    return;
                case "redirect elsewhere":
                    http.Response.Redirect($"http://localhost:{http.Connection.LocalPort}/bundle/model.gguf");
                    return;
                case "cut once" when _ranges.Count == 1:
                    var bytes = await File.ReadAllBytesAsync(path);
                    http.Response.ContentLength = bytes.Length;
                    await http.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await http.Response.Body.FlushAsync();
                    http.Abort();
                    return;
            }
        }

        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16] + "\"");
        await Results.File(path, "application/octet-stream", entityTag: etag, enableRangeProcessing: true).ExecuteAsync(http);
    }
}
