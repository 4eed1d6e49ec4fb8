using System.Net;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Installs that fail late, through the real daemon: a version that passes its probe but fails its health check
/// after the switch, a probe child that dies of a native crash, and a two-model bundle whose second model fails
/// after the first was already switched in. The daemon keeps serving, from files that exist.
/// </summary>
public sealed class UpdateFailureTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AVersionThatLoadsButFailsItsHealthCheckAfterTheSwitchIsRolledBackAndThePreviousKeepsServing()
    {
        // The configured model is the first the daemon loads; the switch loads the new version second, and its decode fails.
        await _daemon.StartAsync("scheduler-fail:2");

        using var response = await _daemon.UploadAsync(await _daemon.BundleAsync(1));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("health_check_failed", await CodeOf(response));
        var status = await _daemon.StatusAsync();
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Equal("configured", UpdatingDaemon.ActiveVersion(status));
        Assert.Equal(("update_failed", "health_check_failed"), (status.GetProperty("history")[0].GetProperty("event").GetString(), status.GetProperty("last_error").GetProperty("code").GetString()));
        Assert.Contains(status.GetProperty("history").EnumerateArray(), e => e.GetProperty("event").GetString() == "rolled_back");
        Assert.False(Directory.Exists(Path.Combine(_daemon.ModelVersions, "stable-1")));
        Assert.Equal(1, status.GetProperty("channels").GetProperty("stable").GetInt64());
        Assert.Equal(200, await _daemon.CompleteAsync());
        Assert.Contains(_daemon.OutboxEvents(), e => e.Kind == "update.failed" && e.Data.Contains("health_check_failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProbeChildThatDiesOfANativeCrashLeavesTheDaemonServingTheOldVersion()
    {
        await _daemon.StartAsync("probe-abort");

        using var response = await _daemon.UploadAsync(await _daemon.BundleAsync(1));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("probe_crashed", body.GetProperty("code").GetString());
        // SIGABRT: 128 + 6.
        Assert.Contains("exit code 134", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var status = await _daemon.StatusAsync();
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Null(UpdatingDaemon.Model(status));
        Assert.False(Directory.Exists(_daemon.ModelVersions));
        // Nothing restarts the daemon in a test: it answers because the crash stayed in the child.
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    [Fact]
    public async Task ATwoModelBundleWhoseSecondModelFailsAfterTheFirstWasSwitchedLeavesEveryModelServingFilesThatExist()
    {
        // Load order: the configured stories260K (1), its new version (2), the new model 'tiny' (3), which fails.
        await _daemon.StartAsync("scheduler-fail:3");
        var bundle = await _daemon.BundleAsync(1, new Dictionary<string, string>
        {
            ["stories260K.gguf"] = TestModels.Stories260K,
            ["tiny.gguf"] = TestModels.TinyRandomLlama2,
        });

        using var response = await _daemon.UploadAsync(bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("health_check_failed", await CodeOf(response));
        var status = await _daemon.StatusAsync();
        var serving = status.GetProperty("serving").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(["stories260K"], serving.Keys);
        Assert.All(serving.Values, path => Assert.True(File.Exists(path), $"{path} is served but does not exist"));
        foreach (var item in status.GetProperty("installed").EnumerateArray())
        {
            Assert.Equal(item.GetProperty("active").GetProperty("path").GetString(), item.GetProperty("serving_path").GetString());
        }

        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), serving["stories260K"]);
        Assert.DoesNotContain(status.GetProperty("installed").EnumerateArray(), i => i.GetProperty("name").GetString() == "tiny");
        Assert.False(Directory.Exists(Path.Combine(_daemon.DataDirectory, "models", "tiny")));
        Assert.False(Directory.Exists(Path.Combine(_daemon.ModelVersions, "stable-1")));
        Assert.Equal(200, await _daemon.CompleteAsync());

        // What serves after a restart is what served before it.
        await _daemon.Process!.TerminateAsync(TimeSpan.FromSeconds(30));
        await _daemon.StartAsync();
        Assert.Equal(serving, (await _daemon.StatusAsync()).GetProperty("serving").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
}
