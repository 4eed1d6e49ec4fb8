using System.Globalization;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// A pulled download that breaks off survives a hard restart of the daemon and is resumed with <c>Range</c> from
/// the bytes kept; the whole file is still hashed against the signed SHA-256, so a server that sends a tail that
/// does not belong is refused and the kept bytes are removed.
/// </summary>
public sealed class PullResumeTests : IAsyncLifetime
{
    private const int CutAt = 600_000;
    private UpdatingDaemon _daemon = null!;
    private UpdateServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await UpdateServer.StartAsync();
        // A failed check would come back on its own only after an hour: every retry here is the test's doing.
        _daemon = await UpdatingDaemon.CreateAsync(_server.PullSettings("--Updates:PullRetryDelay", "01:00:00"));
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ADownloadCutOffMidArtifactIsResumedFromTheKeptBytesAfterARestart()
    {
        var kept = _daemon.KeptDownload(TestModels.Stories260K);
        _server.Published = await _daemon.BundleAsync(1);
        _server.Intercept = (http, file, path) => file == "stories260K.gguf" ? CutOffAsync(http, path, kept) : Task.FromResult(false);

        await _daemon.StartAsync();
        await Poll.Until(() => _server.Requests.Count(r => r.File == "stories260K.gguf") >= 2);
        // A power cut while the daemon retries against a server that is down: only what reached the disk counts.
        await _daemon.Process!.KillAsync();
        var keptBytes = new FileInfo(kept).Length;
        var before = _server.Requests.Count;
        _server.Intercept = null;
        await _daemon.StartAsync();
        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");

        Assert.Equal(CutAt, keptBytes);
        var resumed = _server.Requests.Skip(before).Where(r => r.File == "stories260K.gguf").ToList();
        Assert.Equal([$"bytes={CutAt}-"], resumed.Select(r => r.Range));
        Assert.Equal(File.ReadAllBytes(TestModels.Stories260K), File.ReadAllBytes(Path.Combine(_daemon.ModelVersions, "stable-1", "stories260K.gguf")));
        Assert.False(File.Exists(kept));
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    [Fact]
    public async Task ATailThatDoesNotHashWithTheKeptBytesIsRefusedAndTheKeptBytesAreRemoved()
    {
        var kept = _daemon.KeptDownload(TestModels.Stories260K);
        _server.Published = await _daemon.BundleAsync(1);
        _server.Intercept = (http, file, path) => file != "stories260K.gguf" ? Task.FromResult(false)
            : http.Request.Headers.Range.Count == 0 ? CutOffAsync(http, path, kept) : SendForeignTailAsync(http, path);
        await _daemon.StartAsync();
        await Poll.Until(async () => (await _daemon.StatusAsync()).GetProperty("last_check").ValueKind == System.Text.Json.JsonValueKind.Object);

        var status = await _daemon.StatusAsync();
        Assert.Equal("artifact_hash_mismatch", status.GetProperty("last_check").GetProperty("code").GetString());
        Assert.Contains(_server.Requests, r => r.Range == $"bytes={CutAt}-");
        Assert.False(File.Exists(kept));
        Assert.Null(UpdatingDaemon.ActiveVersion(status));
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Equal("artifact_hash_mismatch", status.GetProperty("last_error").GetProperty("code").GetString());
        Assert.Equal(200, await _daemon.CompleteAsync());

        // The next check starts the file over, and an honest server completes it.
        _server.Intercept = null;
        Assert.Equal("installed", await _daemon.CheckAsync());
    }

    /// <summary>Sends the first <see cref="CutAt"/> bytes, waits until the daemon has them on disk, then breaks the connection; later requests find the server down.</summary>
    private async Task<bool> CutOffAsync(HttpContext http, string path, string kept)
    {
        if (http.Request.Headers.Range.Count > 0)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return true;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes.AsMemory(0, CutAt));
        await http.Response.Body.FlushAsync();
        await Poll.Until(() => File.Exists(kept) && new FileInfo(kept).Length == CutAt);
        http.Abort();
        return true;
    }

    /// <summary>Answers a Range request properly framed, with bytes that are not the file's.</summary>
    private static async Task<bool> SendForeignTailAsync(HttpContext http, string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var from = long.Parse(http.Request.Headers.Range.ToString()["bytes=".Length..^1], CultureInfo.InvariantCulture);
        var tail = bytes[(int)from..].Select(b => (byte)(b ^ 0x5A)).ToArray();
        http.Response.StatusCode = StatusCodes.Status206PartialContent;
        http.Response.Headers.ContentRange = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        http.Response.ContentLength = tail.Length;
        await http.Response.Body.WriteAsync(tail);
        return true;
    }
}
