using System.Net;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>Signed bundles through the real daemon: upload, probe in a child process, atomic switch, refusals that leave nothing behind.</summary>
public sealed class UpdateInstallTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AnUploadedBundleIsProbedThenServedAsTheNewVersionWithTheConfiguredFileKeptAsPrevious()
    {
        await _daemon.StartAsync();
        var bundle = await _daemon.BundleAsync(1);

        using var response = await _daemon.UploadAsync(bundle);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("installed", JsonDocument.Parse(body).RootElement.GetProperty("outcome").GetString());
        var status = await _daemon.StatusAsync();
        var installed = Path.Combine(_daemon.ModelVersions, "stable-1", "stories260K.gguf");
        Assert.Equal(installed, UpdatingDaemon.ServingPath(status));
        Assert.Equal("stable-1", UpdatingDaemon.ActiveVersion(status));
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.Model(status)!.Value.GetProperty("previous").GetProperty("path").GetString());
        Assert.Equal(File.ReadAllBytes(TestModels.Stories260K), File.ReadAllBytes(installed));
        Assert.Equal(200, await _daemon.CompleteAsync());
        Assert.Empty(Directory.GetFileSystemEntries(_daemon.Staging));
        Assert.Equal(1, status.GetProperty("channels").GetProperty("stable").GetInt64());
        Assert.Contains(_daemon.OutboxEvents(), e => e.Kind == "update.installed" && e.Data.Contains("\"sequence\":1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATamperedBundleIsRefusedWithItsCodeAndLeavesNothingStagedOrInstalled()
    {
        await _daemon.StartAsync();
        var bundle = await _daemon.BundleAsync(1);
        var manifest = Path.Combine(bundle, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"stories\"", "\"storiez\"", StringComparison.Ordinal));

        using var response = await _daemon.UploadAsync(bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("signature_invalid", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        var status = await _daemon.StatusAsync();
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Null(UpdatingDaemon.Model(status));
        Assert.Equal("signature_invalid", status.GetProperty("last_error").GetProperty("code").GetString());
        Assert.Empty(Directory.GetFileSystemEntries(_daemon.Staging));
        Assert.False(Directory.Exists(_daemon.ModelVersions));
        Assert.Contains(_daemon.OutboxEvents(), e => e.Kind == "update.refused" && e.Data.Contains("signature_invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AModelThatFailsItsProbeIsNeverActivatedAndItsSequenceIsSpent()
    {
        await _daemon.StartAsync();
        var broken = Path.Combine(_daemon.KeysDirectory, "broken.gguf");
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        File.WriteAllBytes(broken, bytes[..(bytes.Length / 2)]);
        var bundle = await _daemon.BundleAsync(1, new Dictionary<string, string> { ["stories260K.gguf"] = broken });

        using var response = await _daemon.UploadAsync(bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("probe_failed", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        var status = await _daemon.StatusAsync();
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Null(UpdatingDaemon.Model(status));
        Assert.False(Directory.Exists(_daemon.ModelVersions));
        Assert.Equal(1, status.GetProperty("channels").GetProperty("stable").GetInt64());
        Assert.Equal("update_failed", status.GetProperty("history")[0].GetProperty("event").GetString());
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    [Fact]
    public async Task ReplayedAndExpiredBundlesAreRefusedAlsoAfterARestart()
    {
        await _daemon.StartAsync();
        var first = await _daemon.BundleAsync(1);
        var second = await _daemon.BundleAsync(2);
        (await _daemon.UploadAsync(second)).EnsureSuccessStatusCode();
        await _daemon.Process!.TerminateAsync(TimeSpan.FromSeconds(30));
        await _daemon.StartAsync();

        using var older = await _daemon.UploadAsync(first);
        using var same = await _daemon.UploadAsync(second);
        var expired = await _daemon.BundleAsync(3, expiresIn: TimeSpan.FromMinutes(1), created: DateTimeOffset.UtcNow.AddHours(-1));
        using var stale = await _daemon.UploadAsync(expired);

        Assert.Equal("bundle_replayed", await CodeOf(older));
        Assert.Equal("bundle_replayed", await CodeOf(same));
        Assert.Equal("bundle_expired", await CodeOf(stale));
        Assert.Equal("stable-2", UpdatingDaemon.ActiveVersion(await _daemon.StatusAsync()));
    }

    [Fact]
    public async Task TheOperatorRollsBackToThePreviousVersionOnceAndItsFilesAreCollected()
    {
        await _daemon.StartAsync();
        (await _daemon.UploadAsync(await _daemon.BundleAsync(1))).EnsureSuccessStatusCode();
        using var admin = _daemon.Admin();

        using var rolledBack = await admin.PostAsync(new Uri("admin/models/stories260K/rollback", UriKind.Relative), null);
        using var again = await admin.PostAsync(new Uri("admin/models/stories260K/rollback", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var result = JsonDocument.Parse(await rolledBack.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("stable-1", "configured"), (result.GetProperty("from").GetString(), result.GetProperty("to").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var status = await _daemon.StatusAsync();
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.False(Directory.Exists(Path.Combine(_daemon.ModelVersions, "stable-1")));
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    [Fact]
    public async Task AnUploadWithoutTheAdminScopeIsRefused()
    {
        var process = await _daemon.StartAsync();
        var (_, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", _daemon.DataDirectory, "--name", "app", "--tenant", "ops", "--scope", "inference"]);
        using var client = new HttpClient { BaseAddress = process.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("ellm_", StringComparison.Ordinal)));

        using var response = await client.PostAsync(new Uri("admin/updates", UriKind.Relative), new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(Directory.Exists(_daemon.Staging) && Directory.GetFileSystemEntries(_daemon.Staging).Length > 0);
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
}
