using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>The rollout journal in the real state.db across a restart: resume at the journaled step, finish a decided promotion, never two active versions.</summary>
public sealed class RolloutJournalTests : IAsyncLifetime
{
    private readonly RolloutFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    [Fact]
    public async Task ANewProcessOverTheSameStateDbResumesAtTheSameStepWithTheCandidateReloaded()
    {
        await _folder.StartAsync();
        await _folder.StartControllerAsync();
        await _folder.PassIntervalAsync();
        var before = _folder.Journaled;

        await _folder.RestartAsync();
        Assert.Null(_folder.Live.Find(RolloutFolder.Model));
        var served = _folder.StartupModels();
        await _folder.StartControllerAsync();
        await Support.Poll.Until(() => _folder.Live.Find(RolloutFolder.Model) is not null);

        Assert.Equal(_folder.ConfiguredPath, Assert.Single(served).Path);
        Assert.Equal(["load assistant " + _folder.CandidatePath], _folder.Versions.Calls);
        var resumed = _folder.Journaled;
        Assert.Equal((before.Id, RolloutStates.Running, 1, 25), (resumed.Id, resumed.State, resumed.StepIndex, resumed.Weight));
        Assert.Equal(new LiveRollout(RolloutFolder.Model, before.Id, 25, RolloutStickiness.ApiKey), _folder.Live.Find(RolloutFolder.Model));
        // The candidate's folder is no catalog version, yet start-up collection kept it for the rollout.
        Assert.True(File.Exists(_folder.CandidatePath));

        // It goes on from there: the next window takes it to 50 %.
        await _folder.PassIntervalAsync();
        Assert.Equal(50, _folder.Journaled.Weight);
    }

    [Fact]
    public async Task ARolloutOfAModelFileGivenByPathResumesAfterARestart()
    {
        var file = Path.Combine(_folder.Layout.Root, "elsewhere", "assistant-next.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, new byte[16]);
        Assert.IsType<RolloutStartOutcome.Started>(await _folder.Rollouts.StartAsync(new RolloutRequest(RolloutFolder.Model, null, file, null, null, null), CancellationToken.None));

        await _folder.RestartAsync();
        var served = _folder.StartupModels();
        await _folder.StartControllerAsync();
        await Support.Poll.Until(() => _folder.Live.Find(RolloutFolder.Model) is not null);

        Assert.Equal(_folder.ConfiguredPath, Assert.Single(served).Path);
        Assert.Equal(["load assistant " + file], _folder.Versions.Calls);
        Assert.Equal("file:assistant-next.gguf", _folder.Journaled.Candidate.Version);
    }

    [Fact]
    public async Task APausedRolloutStaysPausedAfterARestart()
    {
        await _folder.StartAsync();
        await _folder.Rollouts.PauseAsync(RolloutKinds.Model, RolloutFolder.Model, CancellationToken.None);

        await _folder.RestartAsync();
        await _folder.StartControllerAsync();
        await Support.Poll.Until(() => _folder.Live.Find(RolloutFolder.Model) is not null);

        Assert.Equal((RolloutStates.Paused, 5), (_folder.Journaled.State, _folder.Journaled.Weight));
    }

    [Fact]
    public async Task ACandidateThatFailsToReloadAfterARestartAbortsTheRollout()
    {
        await _folder.StartAsync();

        await _folder.RestartAsync();
        _folder.Versions.FailLoadWith = "model_load_failed";
        await _folder.StartControllerAsync();
        await Support.Poll.Until(() => _folder.Journaled.IsFinished);

        Assert.Equal((RolloutStates.Aborted, "candidate_reload_failed"), (_folder.Journaled.State, _folder.Journaled.Code));
        Assert.Null(_folder.Live.Find(RolloutFolder.Model));
    }

    [Fact]
    public async Task APromotionInterruptedBetweenJournalAndCatalogIsFinishedAtStartUpWithExactlyOneActiveVersion()
    {
        await _folder.StartAsync();
        // What PromoteAsync journals before the catalog changes; the daemon dies at RolloutFaultPoints.AfterPromoteJournaled.
        var rollout = _folder.Journaled;
        (rollout.State, rollout.Code) = (RolloutStates.Promoting, "analysis_passed");
        _folder.State.SaveRollout(rollout);
        Assert.Null(_folder.State.FindInstalled("model", RolloutFolder.Model));

        await _folder.RestartAsync();
        var served = _folder.StartupModels();
        await _folder.StartControllerAsync();

        var model = Assert.Single(served);
        Assert.Equal((RolloutFolder.Model, _folder.CandidatePath), (model.EffectiveName, model.Path));
        var installed = _folder.State.FindInstalled("model", RolloutFolder.Model)!;
        Assert.Equal((RolloutFolder.CandidateVersion, "configured"), (installed.Active!.Version, installed.Previous!.Version));
        Assert.Equal(RolloutStates.Promoted, _folder.Journaled.State);
        Assert.Empty(_folder.State.UnfinishedRollouts());
        await Task.Delay(100);
        // Nothing is loaded as a candidate beside it.
        Assert.Empty(_folder.Versions.Calls);
        Assert.True(File.Exists(_folder.CandidatePath));
    }

    [Fact]
    public async Task APromotionCommittedBeforeTheCrashServesTheCandidateAsTheOnlyActiveVersion()
    {
        await _folder.StartAsync();
        var rollout = _folder.Journaled;
        rollout.State = RolloutStates.Promoting;
        _folder.State.SaveRollout(rollout);
        // The daemon dies at RolloutFaultPoints.AfterPromoteCommitted: catalog and journal changed together, the running models not yet.
        Assert.True(_folder.Transitions.CommitPromotion(rollout));

        await _folder.RestartAsync();
        var served = _folder.StartupModels();

        Assert.Equal(_folder.CandidatePath, Assert.Single(served).Path);
        Assert.Equal(RolloutStates.Promoted, _folder.Journaled.State);
    }

    [Fact]
    public async Task APromotionWhoseActiveVersionChangedMeanwhileIsAbortedNotApplied()
    {
        await _folder.StartAsync();
        var rollout = _folder.Journaled;
        rollout.State = RolloutStates.Promoting;
        _folder.State.SaveRollout(rollout);
        // An operator's rollback or another install changed the active version under the rollout.
        rollout.ActiveVersion = "stable-1";
        _folder.State.SaveRollout(rollout);

        await _folder.RestartAsync();
        var served = _folder.StartupModels();

        Assert.Equal(_folder.ConfiguredPath, Assert.Single(served).Path);
        Assert.Equal((RolloutStates.Aborted, "active_changed"), (_folder.Journaled.State, _folder.Journaled.Code));
        Assert.Null(_folder.State.FindInstalled("model", RolloutFolder.Model));
    }
}
