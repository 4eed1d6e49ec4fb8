using System.Net;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Install;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Crash consistency of installs: the daemon is killed (SIGKILL, chosen by <c>EDGELLM_FAULT_POINT</c>) at each step,
/// restarted, and must serve exactly one consistent version with no leftovers; an activation that keeps the
/// daemon from starting is rolled back after <c>Updates:MaxFailedStarts</c> start-ups.
/// </summary>
public sealed class UpdateCrashTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Theory]
    [InlineData(FaultPoints.AfterStage, false)]
    [InlineData(FaultPoints.AfterPlace, false)]
    [InlineData(FaultPoints.AfterProbe, false)]
    [InlineData(FaultPoints.AfterActivate, true)]
    [InlineData(FaultPoints.AfterSwitch, true)]
    public async Task AKillAtAnInstallStepLeavesExactlyOneConsistentVersionAfterRestart(string faultPoint, bool pastCommitPoint)
    {
        _daemon = await UpdatingDaemon.CreateAsync();
        await _daemon.StartAsync(faultPoint);
        var bundle = await _daemon.BundleAsync(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => _daemon.UploadAsync(bundle));
        Assert.Equal(137, await _daemon.Process!.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await _daemon.StartAsync();

        var status = await _daemon.StatusAsync();
        var installed = Path.Combine(_daemon.ModelVersions, "stable-1", "stories260K.gguf");
        Assert.Equal(pastCommitPoint ? installed : Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Equal(pastCommitPoint ? "stable-1" : null, UpdatingDaemon.ActiveVersion(status));
        Assert.Equal(pastCommitPoint ? "installed" : "interrupted", status.GetProperty("history")[0].GetProperty("event").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("in_progress").ValueKind);
        Assert.Empty(Directory.GetFileSystemEntries(_daemon.Staging));
        Assert.Equal(pastCommitPoint ? [Path.Combine(_daemon.ModelVersions, "stable-1")] : [], Directory.Exists(_daemon.ModelVersions) ? Directory.GetDirectories(_daemon.ModelVersions) : []);
        Assert.Equal(200, await _daemon.CompleteAsync());
        if (!pastCommitPoint)
        {
            // Nothing was spent: the same bundle installs now.
            using var retried = await _daemon.UploadAsync(bundle);
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }
    }

    [Fact]
    public async Task AnActivationThatKeepsTheDaemonFromStartingIsRolledBackAfterTheAllowedStartUpsAndTheFleetHearsOfIt()
    {
        _daemon = await UpdatingDaemon.CreateAsync("--Updates:MaxFailedStarts", "2", "--Updates:ActivationGracePeriod", "01:00:00");
        await _daemon.StartAsync();
        (await _daemon.UploadAsync(await _daemon.BundleAsync(1))).EnsureSuccessStatusCode();
        await _daemon.Process!.TerminateAsync(TimeSpan.FromSeconds(30));

        for (var start = 1; start <= 2; start++)
        {
            var crashing = await _daemon.StartAsync(FaultPoints.UnconfirmedStart, waitUntilReady: false);
            Assert.Equal(137, await crashing.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        }

        await _daemon.StartAsync(FaultPoints.UnconfirmedStart);

        var status = await _daemon.StatusAsync();
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(status));
        Assert.Equal("configured", UpdatingDaemon.ActiveVersion(status));
        Assert.Equal("crash_loop", status.GetProperty("last_error").GetProperty("code").GetString());
        Assert.Equal("update_failed", status.GetProperty("history")[0].GetProperty("event").GetString());
        Assert.False(Directory.Exists(Path.Combine(_daemon.ModelVersions, "stable-1")));
        Assert.Equal(200, await _daemon.CompleteAsync());
        // The rollback happens while the models load, before the API serves: it still reaches the fleet.
        Assert.Contains(_daemon.OutboxEvents(), e => e.Kind == "update.failed" && e.Data.Contains("\"crash_loop\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVersionThatServedThroughItsGracePeriodIsConfirmedAndNoLongerCounted()
    {
        _daemon = await UpdatingDaemon.CreateAsync("--Updates:MaxFailedStarts", "1", "--Updates:ActivationGracePeriod", "00:00:01");
        await _daemon.StartAsync();
        (await _daemon.UploadAsync(await _daemon.BundleAsync(1))).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (UpdatingDaemon.Model(await _daemon.StatusAsync())!.Value.GetProperty("confirmed").GetBoolean() is false && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await _daemon.Process!.TerminateAsync(TimeSpan.FromSeconds(30));
        await _daemon.StartAsync(FaultPoints.UnconfirmedStart);
        await _daemon.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        await _daemon.StartAsync(FaultPoints.UnconfirmedStart);

        var status = await _daemon.StatusAsync();
        Assert.True(UpdatingDaemon.Model(status)!.Value.GetProperty("confirmed").GetBoolean());
        Assert.Equal("stable-1", UpdatingDaemon.ActiveVersion(status));
    }
}
