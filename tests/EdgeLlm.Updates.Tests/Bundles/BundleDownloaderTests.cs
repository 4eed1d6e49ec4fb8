using System.Net;
using System.Security.Cryptography;
using EdgeLlm.Storage;
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
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>
/// Pulling a signed bundle from a real HTTP server on loopback: 304s, a cut connection resumed after a back-off,
/// bytes kept from an earlier attempt resumed with Range (and refused when they do not hash with the rest), an
/// endless body cut off, foreign redirects refused.
/// </summary>
public sealed class BundleDownloaderTests : IAsyncLifetime
{
    private readonly Minisign _minisign = new();
    private readonly List<string> _ranges = [];
    private string _bundle = "";
    private WebApplication? _server;
    private Uri _base = null!;
    private string _artifactMode = "whole";
    private readonly List<DateTimeOffset> _requestTimes = [];
    private TimeProvider _clock = TimeProvider.System;

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

        Assert.True(result is PullResult.Staged, result.ToString());
        Assert.Contains(_ranges, r => r.StartsWith("bytes=", StringComparison.Ordinal) && r != "bytes=0-");
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle, "model.gguf")), File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task ACutConnectionIsResumedOnlyOnceTheBackOffHasPassed()
    {
        _artifactMode = "cut once";
        var time = new FakeTimeProvider();
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), time, new Random(7));

        _clock = time;
        var pull = PullAsync(null, backoff);
        while (!pull.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        Assert.IsType<PullResult.Staged>(await pull);
        Assert.Equal($"bytes={Artifact.Length / 2}-", _ranges[1]);
        // The first retry waits at least half of its one-minute back-off, on the injected clock.
        Assert.True(_requestTimes[1] - _requestTimes[0] >= TimeSpan.FromSeconds(30), $"resumed after {_requestTimes[1] - _requestTimes[0]}");
    }

    [Fact]
    public async Task BytesKeptFromAnEarlierAttemptAreResumedWithARangeFromTheirLength()
    {
        Directory.CreateDirectory(Downloads);
        await File.WriteAllBytesAsync(Kept, Artifact[..700_000]);

        var result = await PullAsync(null);

        Assert.IsType<PullResult.Staged>(result);
        Assert.Equal(["bytes=700000-"], _ranges);
        Assert.Equal(Artifact, File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
        Assert.Empty(Directory.EnumerateFiles(Downloads));
    }

    [Fact]
    public async Task KeptBytesThatDoNotHashWithTheRestAreRefusedAndRemoved()
    {
        Directory.CreateDirectory(Downloads);
        var wrong = Artifact[..700_000];
        wrong[1234] ^= 0x01;
        await File.WriteAllBytesAsync(Kept, wrong);

        var result = await PullAsync(null);

        Assert.Equal(BundleErrors.ArtifactHashMismatch, Assert.IsType<PullResult.Refused>(result).Reason.Code);
        Assert.False(File.Exists(Kept));
        Assert.False(File.Exists(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task AServerThatIgnoresRangeHasTheFileStartedOver()
    {
        _artifactMode = "no ranges";
        Directory.CreateDirectory(Downloads);
        await File.WriteAllBytesAsync(Kept, Artifact[..700_000]);

        var result = await PullAsync(null);

        Assert.IsType<PullResult.Staged>(result);
        Assert.Equal(Artifact, File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task ADownloadThatStopsMakingProgressGivesUpAndKeepsItsBytesForTheNextCheck()
    {
        _artifactMode = "cut, then down";

        var result = await PullAsync(null);

        Assert.Equal(BundleErrors.DownloadInterrupted, Assert.IsType<PullResult.Refused>(result).Reason.Code);
        Assert.Equal(Artifact[..(Artifact.Length / 2)], File.ReadAllBytes(Kept));
        Assert.Equal(1 + ArtifactDownload.MaxFailedTries, RangesSeen);
        Assert.False(File.Exists(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task KeptBytesOfAnArtifactThePublishedBundleNoLongerListsAreRemoved()
    {
        Directory.CreateDirectory(Downloads);
        var stale = Path.Combine(Downloads, new string('a', 64) + ".partial");
        await File.WriteAllBytesAsync(stale, [1, 2, 3]);

        Assert.IsType<PullResult.Staged>(await PullAsync(null));

        Assert.False(File.Exists(stale));
    }

    [Fact]
    public async Task AnEndlessBodyIsCutOffAtTheSignedSizeAndNothingIsStaged()
    {
        _artifactMode = "endless";

        var result = await PullAsync(null);

        Assert.Equal(BundleErrors.ArtifactTooLarge, Assert.IsType<PullResult.Refused>(result).Reason.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Downloads));
    }

    [Fact]
    public async Task ARedirectToAnotherHostIsRefused()
    {
        _artifactMode = "redirect elsewhere";

        await Assert.ThrowsAsync<UpdateRedirectRefusedException>(() => PullAsync(null));
        Assert.False(File.Exists(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task PlainHttpToAHostNotAllowListedIsRefused()
    {
        using var database = new StateDatabase(Path.Combine(_minisign.Folder, "state.db"));
        var state = new UpdateStateStore(database, TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var downloader = new BundleDownloader(http, new BundleVerifier(Verifier, state, "default"), new HashSet<string>(), Downloads, QuickBackoff);

        var result = await downloader.PullAsync(_base, null, Staging, CancellationToken.None);

        Assert.Equal("update_source_insecure", Assert.IsType<PullResult.Refused>(result).Reason.Code);
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        _minisign.Dispose();
    }

    private string Staging => Path.Combine(_minisign.Folder, "staging");

    private string Downloads => Path.Combine(_minisign.Folder, "downloads");

    private string Kept => Path.Combine(Downloads, Convert.ToHexStringLower(SHA256.HashData(Artifact)) + ".partial");

    private byte[] Artifact => File.ReadAllBytes(Path.Combine(_bundle, "model.gguf"));

    private static RetryBackoff QuickBackoff => new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeProvider.System);

    private async Task<PullResult> PullAsync(string? etag, RetryBackoff? backoff = null)
    {
        using var database = new StateDatabase(Path.Combine(_minisign.Folder, "state.db"));
        var state = new UpdateStateStore(database, TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var downloader = new BundleDownloader(http, new BundleVerifier(Verifier, state, "default"), new HashSet<string> { "127.0.0.1" }, Downloads, backoff ?? QuickBackoff);
        return await downloader.PullAsync(_base, etag, Staging, CancellationToken.None);
    }

    private int RangesSeen
    {
        get
        {
            lock (_ranges)
            {
                return _ranges.Count;
            }
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 30 s.");
            await Task.Delay(20);
        }
    }

    private async Task Serve(HttpContext http, string file)
    {
        var path = Path.Combine(_bundle, Path.GetFileName(file));
        if (file == "model.gguf")
        {
            lock (_ranges)
            {
                _ranges.Add(http.Request.Headers.Range.ToString());
                _requestTimes.Add(_clock.GetUtcNow());
            }

            switch (_artifactMode)
            {
                case "no ranges":
                    await http.Response.Body.WriteAsync(await File.ReadAllBytesAsync(path));
                    return;
                case "cut, then down" when RangesSeen > 1:
                    http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
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
                case "cut once" or "cut, then down" when RangesSeen == 1:
                    var bytes = await File.ReadAllBytesAsync(path);
                    http.Response.ContentLength = bytes.Length;
                    await http.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await http.Response.Body.FlushAsync();
                    // Until the client has written all it received, so the cut point is known exactly.
                    await Until(() => File.Exists(Kept) && new FileInfo(Kept).Length == bytes.Length / 2);
                    http.Abort();
                    return;
            }
        }

        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16] + "\"");
        await Results.File(path, "application/octet-stream", entityTag: etag, enableRangeProcessing: true).ExecuteAsync(http);
    }
}
