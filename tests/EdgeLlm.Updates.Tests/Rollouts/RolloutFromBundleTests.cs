using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>A probed bundle whose manifest asks for a rollout: its model becomes a candidate instead of replacing the active version.</summary>
public sealed class RolloutFromBundleTests : IAsyncLifetime
{
    private readonly RolloutFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    [Fact]
    public async Task TheBundlesModelIsLoadedAsCandidateAndTheRolloutJournaledWithThePlansCommitPoint()
    {
        var plan = Plan(RolloutFolder.Model, 7);
        var activated = 0;

        var outcome = await _folder.Rollouts.StartFromBundleAsync(plan, new BundleRollout([10, 100], TimeSpan.FromMinutes(5), RolloutStickiness.User), () => activated++, CancellationToken.None);

        var rollout = Assert.IsType<RolloutStartOutcome.Started>(outcome).Rollout;
        Assert.Equal(("bundle", "stable-7", "b", 7L), (rollout.Origin, rollout.Candidate.Version, rollout.Candidate.Bundle, rollout.Candidate.Sequence));
        Assert.Equal([10, 100], rollout.Steps);
        Assert.Equal((TimeSpan.FromMinutes(5), "User", "configured"), (rollout.Interval, rollout.StickyBy, rollout.ActiveVersion));
        Assert.Equal(InstallSteps.Activated, plan.Step);
        Assert.Equal(7, _folder.State.HighestSequence("stable"));
        Assert.Equal(1, activated);
        Assert.Equal(["load assistant " + plan.Items[0].ServedPath], _folder.Versions.Calls);
        Assert.Equal(10, _folder.Live.Find(RolloutFolder.Model)!.WeightPercent);
        // The catalog still serves the active version; the candidate's folder is kept for the rollout.
        Assert.Null(_folder.State.FindInstalled("model", RolloutFolder.Model));
        _folder.Storage.Collect(null);
        Assert.True(File.Exists(plan.Items[0].ServedPath));
    }

    [Fact]
    public async Task ANewerBundleSupersedesTheRolloutStillRunning()
    {
        var first = await _folder.Rollouts.StartFromBundleAsync(Plan(RolloutFolder.Model, 7), new BundleRollout(null, null, null), null, CancellationToken.None);

        var second = await _folder.Rollouts.StartFromBundleAsync(Plan(RolloutFolder.Model, 8), new BundleRollout(null, null, null), null, CancellationToken.None);

        var old = _folder.State.Rollouts().Single(r => r.Id == Assert.IsType<RolloutStartOutcome.Started>(first).Rollout.Id);
        Assert.Equal((RolloutStates.Aborted, "superseded"), (old.State, old.Code));
        Assert.Equal("stable-8", Assert.Single(_folder.State.UnfinishedRollouts()).Candidate.Version);
        Assert.Equal("stable-8", Assert.IsType<RolloutStartOutcome.Started>(second).Rollout.Candidate.Version);
        Assert.Equal([5, 25, 50, 100], Assert.IsType<RolloutStartOutcome.Started>(second).Rollout.Steps);
    }

    [Fact]
    public async Task AModelNewToTheDeviceHasNothingToCompareWithAndIsLeftToTheActivation()
    {
        var plan = Plan("helper", 7);

        var outcome = await _folder.Rollouts.StartFromBundleAsync(plan, new BundleRollout(null, null, null), null, CancellationToken.None);

        Assert.IsType<RolloutStartOutcome.NoActiveVersion>(outcome);
        Assert.Empty(_folder.State.Rollouts());
        Assert.Equal(InstallSteps.Probed, plan.Step);
        Assert.Empty(_folder.Versions.Calls);
    }

    [Fact]
    public async Task ACandidateThatFailsItsLoadEndsTheRolloutAndItsFolderGoes()
    {
        _folder.Versions.FailLoadWith = "health_check_failed";
        var plan = Plan(RolloutFolder.Model, 7);

        var outcome = await _folder.Rollouts.StartFromBundleAsync(plan, new BundleRollout(null, null, null), null, CancellationToken.None);
        _folder.Storage.Collect(null);

        Assert.IsType<RolloutStartOutcome.CandidateFailed>(outcome);
        Assert.Equal((RolloutStates.Aborted, "candidate_load_failed"), (_folder.Journaled.State, _folder.Journaled.Code));
        Assert.False(Directory.Exists(plan.Items[0].VersionDirectory));
        // The bundle's sequence is spent all the same: it is not retried forever.
        Assert.Equal(7, _folder.State.HighestSequence("stable"));
    }

    /// <summary>A probed plan for one model, its file placed in its version folder, as the installer leaves it before activation.</summary>
    private InstallPlan Plan(string name, long sequence)
    {
        var version = $"stable-{sequence}";
        var plan = new InstallPlan
        {
            Id = Guid.NewGuid().ToString("N"), Source = "test", Step = InstallSteps.Probed, StartedAt = _folder.Clock.GetUtcNow().UtcDateTime, Bundle = "b", Channel = "stable",
            Sequence = sequence, Created = _folder.Clock.GetUtcNow().UtcDateTime,
        };
        plan.Items.Add(new PlannedItem { Kind = "model", Name = name, Version = version, FileName = name + ".gguf", VersionDirectory = _folder.Paths.VersionDirectory("model", name, version) });
        Directory.CreateDirectory(plan.Items[0].VersionDirectory);
        File.WriteAllBytes(plan.Items[0].ServedPath, new byte[16]);
        _folder.State.SavePlan(plan);
        return plan;
    }
}
