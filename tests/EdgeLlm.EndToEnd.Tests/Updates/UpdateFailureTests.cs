using System.Net;
using System.Text.Json;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Install;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Installs that fail late, through the real daemon: a version that passes its probe but fails its health check
/// after the switch, a probe child that dies of a native crash, and two-model bundles whose second model fails
/// after the first (an existing model's new version, or a model new to the device) was already switched in. The
/// daemon keeps serving, from files that exist, exactly what it served before the bundle.
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
        await _daemon.StartAsync(SchedulerFaults.FailPrefix + "2");

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
        await _daemon.StartAsync(FaultPoints.ProbeAbort);

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
        await _daemon.StartAsync(SchedulerFaults.FailPrefix + "3");
        var bundle = await _daemon.BundleAsync(1, new Dictionary<string, string>
        {
            ["stories260K.gguf"] = TestModels.Stories260K,
            ["tiny.gguf"] = TestModels.TinyRandomLlama2,
        });

        using var response = await _daemon.UploadAsync(bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("health_check_failed", await CodeOf(response));
        var status = await _daemon.StatusAsync();
        var serving = UpdatingDaemon.Serving(status);
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
        Assert.Equal(serving, UpdatingDaemon.Serving(await _daemon.StatusAsync()));
    }

    [Fact]
    public async Task ABundleWhoseNewModelWasSwitchedInBeforeAnExistingModelFailedLeavesTheDeviceServingExactlyWhatItDidBefore()
    {
        // Load order: the configured stories260K (1), the new model 'tiny' (2), which serves, then stories260K's new version (3), which fails.
        await _daemon.StartAsync(SchedulerFaults.FailPrefix + "3");
        var before = UpdatingDaemon.Serving(await _daemon.StatusAsync());
        var bundle = await _daemon.BundleAsync(1, new Dictionary<string, string>
        {
            ["tiny.gguf"] = TestModels.TinyRandomLlama2,
            ["stories260K.gguf"] = TestModels.Stories260K,
        });

        using var response = await _daemon.UploadAsync(bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("health_check_failed", await CodeOf(response));
        var status = await _daemon.StatusAsync();
        Assert.Equal(before, UpdatingDaemon.Serving(status));
        Assert.Equal((404, "model_not_found"), await _daemon.CompleteAsync("tiny"));
        Assert.DoesNotContain(status.GetProperty("installed").EnumerateArray(), i => i.GetProperty("name").GetString() == "tiny");
        Assert.Equal("configured", UpdatingDaemon.ActiveVersion(status));
        Assert.Contains(status.GetProperty("history").EnumerateArray(), e =>
            e.GetProperty("event").GetString() == "rolled_back" && e.GetProperty("message").GetString() == "model tiny was withdrawn; it no longer serves.");
        Assert.False(Directory.Exists(Path.Combine(_daemon.DataDirectory, "models", "tiny")));
        Assert.Equal(200, await _daemon.CompleteAsync());

        // Two restarts (the first counts start-ups of anything unconfirmed, the second would roll back a crash loop): still as before.
        for (var restart = 1; restart <= 2; restart++)
        {
            await _daemon.Process!.TerminateAsync(TimeSpan.FromSeconds(30));
            await _daemon.StartAsync();
            Assert.Equal(before, UpdatingDaemon.Serving(await _daemon.StatusAsync()));
            Assert.Equal((404, "model_not_found"), await _daemon.CompleteAsync("tiny"));
        }

        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
}
