using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>Where bundles come from: the drop folder, <c>edgellm import</c> (a USB stick), and the pull from an update server.</summary>
public sealed class UpdateSourceTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task TheDropFolderInstallsASettledBundleAndSetsAHostileOneAsideWithItsReason()
    {
        _daemon = await UpdatingDaemon.CreateAsync();
        await _daemon.StartAsync();
        var incoming = Path.Combine(_daemon.DataDirectory, "incoming");
        CopyFolder(await _daemon.BundleAsync(1), Path.Combine(incoming, "stick-bundle"));

        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");
        Assert.False(Directory.Exists(Path.Combine(incoming, "stick-bundle")));

        var hostile = Path.Combine(incoming, "evil.tar");
        await using (var stream = File.Create(hostile))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "../escape.gguf") { DataStream = new MemoryStream([1, 2, 3]) };
            await writer.WriteEntryAsync(entry);
        }

        var rejected = Path.Combine(incoming, "rejected");
        await Poll.Until(() => Directory.Exists(rejected) && Directory.GetFiles(rejected, "*.reason.txt").Length == 1);
        Assert.StartsWith("bundle_hostile_entry", File.ReadAllText(Directory.GetFiles(rejected, "*.reason.txt")[0]), StringComparison.Ordinal);
        Assert.False(File.Exists(hostile));
        Assert.False(File.Exists(Path.Combine(_daemon.DataDirectory, "escape.gguf")));
        Assert.Equal("stable-1", UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
    }

    [Fact]
    public async Task ImportRefusesABadBundleOnTheSpotAndQueuesAGoodOneThatTheDaemonInstallsAtStart()
    {
        _daemon = await UpdatingDaemon.CreateAsync();
        var unknownKey = await _daemon.BundleAsync(2);
        File.Delete(Path.Combine(_daemon.KeysDirectory, "publisher.pub"));

        var (refusedCode, refusedOutput) = await EdgeLlmProcess.RunToEndAsync(["import", "--data-dir", _daemon.DataDirectory, unknownKey, .. _daemon.Arguments]);
        Assert.Equal(1, refusedCode);
        Assert.Contains("signature_unknown_key", refusedOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_daemon.DataDirectory, "incoming")) && Directory.EnumerateFileSystemEntries(Path.Combine(_daemon.DataDirectory, "incoming")).Any());
    }

    [Fact]
    public async Task AnImportedBundleIsQueuedAndInstalledWhenTheDaemonStarts()
    {
        _daemon = await UpdatingDaemon.CreateAsync();
        var good = UpdatingDaemon.Tar(await _daemon.BundleAsync(1));

        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["import", "--data-dir", _daemon.DataDirectory, good, .. _daemon.Arguments]);

        Assert.True(exitCode == 0, output);
        Assert.Single(Directory.GetFiles(Path.Combine(_daemon.DataDirectory, "incoming")));
        await _daemon.StartAsync();
        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");
        Assert.Empty(Directory.GetFiles(Path.Combine(_daemon.DataDirectory, "incoming")));
    }

    [Fact]
    public async Task ThePullInstallsWhatTheServerPublishesThenSendsItsETagAndGetsA304()
    {
        string? published = null;
        var requests = new List<string>();
        await using var server = await StartServerAsync(() => published!, requests);
        _daemon = await UpdatingDaemon.CreateAsync("--Updates:PullUrl", $"{server.Urls.First()}/bundle/", "--Updates:PlainHttpHosts:0", "127.0.0.1", "--Updates:PullInterval", "01:00:00");
        published = await _daemon.BundleAsync(1);
        await _daemon.StartAsync();

        await Poll.Until(async () => UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1");
        Assert.Equal("not_modified", await CheckAsync());
        published = await _daemon.BundleAsync(2);
        Assert.Equal("installed", await CheckAsync());

        Assert.Equal("stable-2", UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
        lock (requests)
        {
            Assert.Contains("manifest.json 304", requests);
        }
    }

    [Fact]
    public async Task TheFleetsUpdateCheckCommandOverMqttRunsAPull()
    {
        string? published = null;
        var requests = new List<string>();
        await using var server = await StartServerAsync(() => published ?? "/nonexistent", requests);
        await using var broker = await MosquittoBroker.StartAsync();
        _daemon = await UpdatingDaemon.CreateAsync(
            "--Updates:PullUrl", $"{server.Urls.First()}/bundle/", "--Updates:PlainHttpHosts:0", "127.0.0.1", "--Updates:PullInterval", "01:00:00",
            "--Telemetry:BrokerUri", $"mqtt://127.0.0.1:{broker.Port}", "--Telemetry:Site", "plant", "--Telemetry:Device", "line-3", "--Telemetry:UpdateCheckMinInterval", "00:00:00");
        await _daemon.StartAsync();
        // Nothing is published yet: the check at start-up finds no bundle.
        await Poll.Until(async () => (await _daemon.StatusAsync()).GetProperty("last_check").ValueKind == System.Text.Json.JsonValueKind.Object);
        Assert.Null(UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
        published = await _daemon.BundleAsync(1);

        // The fleet asks; the command may arrive before the uplink subscribed, so it is repeated until heard.
        await Poll.Until(async () =>
        {
            await Command.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", "edgellm/plant/line-3/cmd/update-check", "-m", "{}"]);
            await Task.Delay(500);
            return UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()) == "stable-1";
        });

        // With a one-hour interval, only the command can have fetched the published manifest.
        lock (requests)
        {
            Assert.Contains("manifest.json 200", requests);
        }
    }

    private async Task<string?> CheckAsync()
    {
        using var admin = _daemon.Admin();
        using var response = await admin.PostAsync(new Uri("admin/updates/check", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outcome").GetString();
    }

    /// <summary>A real update server on loopback: the published folder's files, with ETags and Range.</summary>
    private static async Task<WebApplication> StartServerAsync(Func<string> published, List<string> requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/bundle/{file}", (HttpContext http, string file) =>
        {
            var path = Path.Combine(published(), Path.GetFileName(file));
            if (!File.Exists(path))
            {
                return Results.NotFound();
            }

            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16]}\"");
            var notModified = http.Request.Headers.IfNoneMatch.ToString() == tag.Tag.ToString();
            lock (requests)
            {
                requests.Add($"{file} {(notModified ? 304 : 200)}");
            }

            return Results.File(path, "application/octet-stream", entityTag: tag, enableRangeProcessing: true);
        });
        await app.StartAsync();
        return app;
    }

    private static void CopyFolder(string from, string to)
    {
        var hidden = Path.Combine(Path.GetDirectoryName(to)!, "." + Path.GetFileName(to));
        Directory.CreateDirectory(hidden);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(hidden, Path.GetFileName(file)));
        }

        Directory.Move(hidden, to);
    }
}
