using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Rollouts;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// Canary rollouts on the real daemon across kill -9: a rollout resumes at its journaled step with its candidate loaded
/// again and every client on the same version as before; a promotion killed between its writes comes up with exactly
/// one active version, the candidate.
/// </summary>
public sealed class RolloutCrashTests : IAsyncLifetime
{
    private const int Users = 24;
    private UpdatingDaemon _daemon = null!;
    private string _candidate = "";

    public async Task InitializeAsync()
    {
        // No window ends during a test: the rollout stays at the step it is put at.
        _daemon = await UpdatingDaemon.CreateAsync("--Updates:RolloutInterval", "01:00:00", "--Updates:RolloutStickyBy", "User");
        _candidate = Path.Combine(_daemon.DataDirectory, "candidate", "stories260K-next.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(_candidate)!);
        File.Copy(TestModels.Stories260K, _candidate);
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AKillMidRolloutResumesAtItsStepWithTheCandidateReloadedAndEveryUserOnTheSameVersion()
    {
        await _daemon.StartAsync();
        await StartRolloutAsync();
        var before = await VersionsByUserAsync();

        await _daemon.Process!.KillAsync();
        await _daemon.StartAsync();
        await WaitForCandidateAsync();

        var rollout = Assert.Single((await _daemon.RolloutsAsync()).EnumerateArray());
        Assert.Equal(("running", 0, 50), (rollout.GetProperty("state").GetString(), rollout.GetProperty("step").GetInt32(), rollout.GetProperty("weight").GetInt32()));
        Assert.Equal(before, await VersionsByUserAsync());
        Assert.Contains("candidate", before.Values);
        Assert.Contains("active", before.Values);
        Assert.Equal(Path.GetFullPath(TestModels.Stories260K), UpdatingDaemon.ServingPath(await _daemon.StatusAsync()));
    }

    [Theory]
    [InlineData(RolloutFaultPoints.AfterPromoteJournaled)]
    [InlineData(RolloutFaultPoints.AfterPromoteCommitted)]
    public async Task APromotionKilledBetweenItsWritesComesUpWithTheCandidateAsTheOnlyActiveVersion(string faultPoint)
    {
        await _daemon.StartAsync(faultPoint);
        await StartRolloutAsync();

        using (var admin = _daemon.Admin())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => admin.PostAsync(new Uri($"admin/rollouts/{UpdatingDaemon.ModelName}/promote", UriKind.Relative), null));
        }

        Assert.Equal(137, await _daemon.Process!.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await _daemon.StartAsync();

        var status = await _daemon.StatusAsync();
        Assert.Equal(_candidate, UpdatingDaemon.ServingPath(status));
        Assert.Equal("file:stories260K-next.gguf", UpdatingDaemon.ActiveVersion(status));
        Assert.Equal("configured", UpdatingDaemon.Model(status)!.Value.GetProperty("previous").GetProperty("version").GetString());
        Assert.Equal("promoted", Assert.Single((await _daemon.RolloutsAsync()).EnumerateArray()).GetProperty("state").GetString());
        var model = Assert.Single((await _daemon.AdminStatusAsync()).GetProperty("models").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("candidate").ValueKind);
        Assert.Equal(200, await _daemon.CompleteAsync());
        Assert.Contains(_daemon.OutboxEvents(), e => e.Kind == "rollout.started");
    }

    private async Task StartRolloutAsync()
    {
        using var admin = _daemon.Admin();
        using var response = await admin.PostAsync(
            new Uri("admin/rollouts", UriKind.Relative),
            JsonContent.Create(new Dictionary<string, object> { ["model"] = UpdatingDaemon.ModelName, ["path"] = _candidate, ["steps"] = new[] { 50, 100 } }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The candidate is loaded again once the models serve; the status shows it.</summary>
    private async Task WaitForCandidateAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await _daemon.AdminStatusAsync()).GetProperty("models")[0].GetProperty("candidate").ValueKind == JsonValueKind.Null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The candidate was not loaded again within a minute.");
            await Task.Delay(100);
        }
    }

    /// <summary>Which version (<c>x-edgellm-version</c>) answered each of the users.</summary>
    private async Task<Dictionary<string, string>> VersionsByUserAsync()
    {
        using var admin = _daemon.Admin();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var user = 0; user < Users; user++)
        {
            using var response = await admin.PostAsync(
                new Uri("v1/completions", UriKind.Relative),
                JsonContent.Create(new Dictionary<string, object> { ["model"] = UpdatingDaemon.ModelName, ["prompt"] = "Once", ["max_tokens"] = 2, ["user"] = $"user-{user}" }));
            response.EnsureSuccessStatusCode();
            versions[$"user-{user}"] = response.Headers.GetValues("x-edgellm-version").Single();
        }

        return versions;
    }
}
