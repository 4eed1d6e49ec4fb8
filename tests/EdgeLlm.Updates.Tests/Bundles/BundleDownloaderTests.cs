using System.Net;
using System.Security.Cryptography;
using EdgeLlm.Storage;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.Tests.Support;
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
/// endless body cut off, a stalled body or a silent manifest given up on at their deadlines, foreign redirects
/// refused.
/// </summary>
public sealed class BundleDownloaderTests : IAsyncLifetime
{
    private readonly Minisign _minisign = new();
    private readonly List<(string Range, DateTimeOffset At)> _artifactRequests = [];
    private string _bundle = "";
    private WebApplication? _server;
    private Uri _base = null!;
    private volatile string _artifactMode = "whole";
    private volatile bool _silentManifest;
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
        Assert.Contains(ArtifactRequests, r => r.Range.StartsWith("bytes=", StringComparison.Ordinal) && r.Range != "bytes=0-");
        Assert.Equal(File.ReadAllBytes(Path.Combine(_bundle, "model.gguf")), File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task ACutConnectionIsResumedOnlyOnceTheBackOffHasPassed()
    {
        _artifactMode = "cut once";
        var time = new FakeTimeProvider();
        var backoff = new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), time, new Random(7));

        _clock = time;
        var result = await AdvancingAsync(time, PullAsync(null, backoff));

        Assert.IsType<PullResult.Staged>(result);
        var requests = ArtifactRequests;
        Assert.Equal($"bytes={Artifact.Length / 2}-", requests[1].Range);
        // The first retry waits at least half of its one-minute back-off, on the injected clock.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(30), $"resumed after {requests[1].At - requests[0].At}");
    }

    [Fact]
    public async Task BytesKeptFromAnEarlierAttemptAreResumedWithARangeFromTheirLength()
    {
        Directory.CreateDirectory(Downloads);
        await File.WriteAllBytesAsync(Kept, Artifact[..700_000]);

        var result = await PullAsync(null);

        Assert.IsType<PullResult.Staged>(result);
        Assert.Equal(["bytes=700000-"], ArtifactRequests.Select(r => r.Range));
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
    public async Task ABodyThatStallsIsTreatedAsABrokenConnectionAndResumedFromTheBytesKept()
    {
        _artifactMode = "stall once";
        var time = new FakeTimeProvider();
        _clock = time;

        var result = await AdvancingAsync(time, PullAsync(null, new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), time), new PullDeadlines(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), time)));

        Assert.True(result is PullResult.Staged, result.ToString());
        var requests = ArtifactRequests;
        Assert.Equal(["", $"bytes={Artifact.Length / 2}-"], requests.Select(r => r.Range));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMinutes(1), $"resumed after {requests[1].At - requests[0].At}");
        Assert.Equal(Artifact, File.ReadAllBytes(Path.Combine(Staging, "model.gguf")));
    }

    [Fact]
    public async Task AManifestThatNeverComesEndsThePullAtTheRequestDeadline()
    {
        _silentManifest = true;
        var time = new FakeTimeProvider();

        var pull = PullAsync(null, deadlines: new PullDeadlines(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), time));

        var timedOut = await Assert.ThrowsAsync<TimeoutException>(() => AdvancingAsync(time, pull));
        Assert.Contains("did not send manifest.json within 00:01:00", timedOut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABundleTheAdmissionRefusesIsRefusedBeforeAnyArtifactIsRequested()
    {
        var result = await PullAsync(null, admit: manifest => new BundleCheck.Refused("disk_budget_exceeded", $"{manifest.Artifacts.Sum(a => a.Size)} bytes do not fit."));

        var refused = Assert.IsType<PullResult.Refused>(result).Reason;
        Assert.Equal("disk_budget_exceeded", refused.Code);
        Assert.Equal("stable", refused.SignedManifest!.Channel);
        Assert.Empty(ArtifactRequests);
        Assert.False(Directory.Exists(Downloads));
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

    private async Task<PullResult> PullAsync(
        string? etag, RetryBackoff? backoff = null, PullDeadlines? deadlines = null, Func<BundleManifest, BundleCheck.Refused?>? admit = null)
    {
        using var database = new StateDatabase(Path.Combine(_minisign.Folder, "state.db"));
        var state = new UpdateStateStore(database, TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var downloader = new BundleDownloader(http, new BundleVerifier(Verifier, state, "default"), new HashSet<string> { "127.0.0.1" }, Downloads, backoff ?? QuickBackoff, deadlines: deadlines);
        return await downloader.PullAsync(_base, etag, Staging, CancellationToken.None, admit);
    }

    /// <summary>Runs <paramref name="pull"/> to its end while advancing <paramref name="time"/>, which its waits run on.</summary>
    private static async Task<PullResult> AdvancingAsync(FakeTimeProvider time, Task<PullResult> pull)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!pull.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "The pull did not end within 60 s of real time.");
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        return await pull;
    }

    /// <summary>The artifact requests the server saw (their Range header and the injected clock's time), in order.</summary>
    private List<(string Range, DateTimeOffset At)> ArtifactRequests
    {
        get
        {
            lock (_artifactRequests)
            {
                return [.. _artifactRequests];
            }
        }
    }

    private int RangesSeen => ArtifactRequests.Count;

    private async Task Serve(HttpContext http, string file)
    {
        var path = Path.Combine(_bundle, Path.GetFileName(file));
        if (file == "manifest.json" && _silentManifest)
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }

        if (file == "model.gguf")
        {
            lock (_artifactRequests)
            {
                _artifactRequests.Add((http.Request.Headers.Range.ToString(), _clock.GetUtcNow()));
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
                    await Poll.Until(() => File.Exists(Kept) && new FileInfo(Kept).Length == bytes.Length / 2);
                    http.Abort();
                    return;
                case "stall once" when RangesSeen == 1:
                    var whole = await File.ReadAllBytesAsync(path);
                    http.Response.ContentLength = whole.Length;
                    await http.Response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2));
                    await http.Response.Body.FlushAsync();
                    // The connection stays open and says nothing more.
                    await Task.Delay(Timeout.Infinite, http.RequestAborted);
                    return;
            }
        }

        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16] + "\"");
        await Results.File(path, "application/octet-stream", entityTag: etag, enableRangeProcessing: true).ExecuteAsync(http);
    }
}
