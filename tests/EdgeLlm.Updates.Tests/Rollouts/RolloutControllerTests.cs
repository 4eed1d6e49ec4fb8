using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>The controller driven by a fake clock over fake running models and outcomes, with the real journal in state.db.</summary>
public sealed class RolloutControllerTests : IAsyncLifetime
{
    private readonly RolloutFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    [Fact]
    public async Task AHealthyCandidatePromotesThroughItsStepsAndTheOldVersionBecomesPrevious()
    {
        Assert.IsType<RolloutStartOutcome.Started>(await _folder.StartAsync());
        await _folder.StartControllerAsync();
        var weights = new List<int> { _folder.Live.Find(RolloutFolder.Model)!.WeightPercent };

        for (var window = 0; window < 3; window++)
        {
            await _folder.PassIntervalAsync();
            weights.Add(await _folder.LiveWeightAsync());
        }

        // At 100 % the active version serves (almost) nothing: the candidate is held to the last active window with enough requests.
        _folder.Outcomes.ActiveWindow = FakeVersionOutcomes.Healthy(0);
        await _folder.PassIntervalAsync();

        Assert.Equal([5, 25, 50, 100], weights);
        var rollout = _folder.Journaled;
        Assert.Equal((RolloutStates.Promoted, "analysis_passed"), (rollout.State, rollout.Code));
        Assert.True(rollout.Last!.AgainstBaseline);
        Assert.Null(_folder.Live.Find(RolloutFolder.Model));
        Assert.Equal($"promote {RolloutFolder.Model}", _folder.Versions.Calls[^1]);
        var installed = _folder.State.FindInstalled("model", RolloutFolder.Model)!;
        Assert.Equal((RolloutFolder.CandidateVersion, _folder.CandidatePath), (installed.Active!.Version, installed.Active.Path));
        Assert.Equal(("configured", _folder.ConfiguredPath), (installed.Previous!.Version, installed.Previous.Path));
        Assert.False(installed.Confirmed);
        // The promoted version's folder is now the active version's: storage collection keeps it.
        Assert.True(File.Exists(_folder.CandidatePath));
    }

    [Fact]
    public async Task ACandidateWhoseWindowsShowErrorsAbortsWithinTwoIntervals()
    {
        await _folder.StartAsync();
        await _folder.StartControllerAsync();
        _folder.Outcomes.CandidateWindow = new VersionWindow(100, 30, 100, 50, 0);

        await _folder.PassIntervalAsync();
        var afterOne = _folder.Journaled;
        await _folder.PassIntervalAsync();

        Assert.Equal((RolloutStates.Running, 1, 5), (afterOne.State, afterOne.Failures, afterOne.Weight));
        var rollout = _folder.Journaled;
        Assert.Equal((RolloutStates.Aborted, "analysis_failed", 0), (rollout.State, rollout.Code, rollout.Weight));
        Assert.Equal(["error_rate"], rollout.Last!.Reasons);
        Assert.Equal(0.3, rollout.Last.Candidate.ErrorRate, 3);
        Assert.Null(_folder.Live.Find(RolloutFolder.Model));
        Assert.False(_folder.Split.ToCandidate(RolloutFolder.Model, "any-key", null));
        Assert.Equal($"retire {RolloutFolder.Model}", _folder.Versions.Calls[^1]);
        Assert.Null(_folder.State.FindInstalled("model", RolloutFolder.Model));
        // Neither active nor previous nor on trial: storage collection removed the version's folder.
        Assert.False(Directory.Exists(_folder.CandidateFolder));
    }

    [Fact]
    public async Task InconclusiveWindowsHoldTheStepAndAreCounted()
    {
        await _folder.StartAsync();
        await _folder.StartControllerAsync();
        _folder.Outcomes.CandidateWindow = FakeVersionOutcomes.Healthy(3);

        await _folder.PassIntervalAsync();
        await _folder.PassIntervalAsync();
        var held = _folder.Journaled;
        _folder.Outcomes.CandidateWindow = FakeVersionOutcomes.Healthy(50);
        await _folder.PassIntervalAsync();

        Assert.Equal((RolloutStates.Running, 5, 2, 0), (held.State, held.Weight, held.Inconclusive, held.Failures));
        Assert.Equal(RolloutAnalysis.Inconclusive, held.Last!.Verdict);
        Assert.Equal(25, _folder.Journaled.Weight);
    }

    [Fact]
    public async Task EachWindowIsTheIntervalThatJustEnded()
    {
        var started = _folder.Clock.GetUtcNow();
        await _folder.StartAsync();
        await _folder.StartControllerAsync();

        await _folder.PassIntervalAsync();
        await _folder.PassIntervalAsync();

        var interval = _folder.Options.Value.RolloutInterval;
        Assert.Equal(
            [(ServedVersion.Active, started, started + interval), (ServedVersion.Candidate, started, started + interval),
             (ServedVersion.Active, started + interval, started + (2 * interval)), (ServedVersion.Candidate, started + interval, started + (2 * interval))],
            _folder.Outcomes.Asked);
    }

    [Fact]
    public async Task APausedRolloutIsNotJudgedAndResumesWithAFreshWindowAtItsStep()
    {
        await _folder.StartAsync();
        await _folder.StartControllerAsync();
        await _folder.PassIntervalAsync();

        Assert.IsType<RolloutCommandOutcome.Done>(await _folder.Rollouts.PauseAsync(RolloutKinds.Model, RolloutFolder.Model, CancellationToken.None));
        _folder.Clock.Advance(TimeSpan.FromHours(3));
        await Task.Delay(200);
        var paused = _folder.Journaled;
        Assert.IsType<RolloutCommandOutcome.NotRunning>(await _folder.Rollouts.PauseAsync(RolloutKinds.Model, RolloutFolder.Model, CancellationToken.None));
        Assert.IsType<RolloutCommandOutcome.Done>(await _folder.Rollouts.ResumeAsync(RolloutKinds.Model, RolloutFolder.Model, CancellationToken.None));
        var resumedAt = _folder.Clock.GetUtcNow();
        await _folder.PassIntervalAsync();

        Assert.Equal((RolloutStates.Paused, 25), (paused.State, paused.Weight));
        Assert.Equal(2, _folder.Outcomes.Asked.Count(a => a.Version == ServedVersion.Candidate));
        Assert.Equal(resumedAt, _folder.Outcomes.Asked[^1].From);
        Assert.Equal((RolloutStates.Running, 50), (_folder.Journaled.State, _folder.Journaled.Weight));
        // Paused, the split still gave the candidate its step's share.
        Assert.Equal(50, await _folder.LiveWeightAsync());
    }

    [Fact]
    public async Task TheOperatorCanPromoteOrAbortAtAnyStep()
    {
        await _folder.StartAsync();

        var promoted = await _folder.Rollouts.PromoteAsync(RolloutKinds.Model, RolloutFolder.Model, CancellationToken.None);

        Assert.Equal((RolloutStates.Promoted, "operator_promote"), (Assert.IsType<RolloutCommandOutcome.Done>(promoted).Rollout.State, _folder.Journaled.Code));
        Assert.Equal(RolloutFolder.CandidateVersion, _folder.State.FindInstalled("model", RolloutFolder.Model)!.Active!.Version);
        Assert.IsType<RolloutCommandOutcome.NotRunning>(await _folder.Rollouts.AbortAsync(RolloutKinds.Model, RolloutFolder.Model, CancellationToken.None));
    }

    [Fact]
    public async Task AStartIsRefusedForAnUnknownModelAnUnknownVersionAndAModelWithARolloutRunning()
    {
        var unknownModel = await _folder.Rollouts.StartAsync(new RolloutRequest("nobody", "stable-1", null, null, null, null), CancellationToken.None);
        var unknownVersion = await _folder.Rollouts.StartAsync(new RolloutRequest(RolloutFolder.Model, "stable-9", null, null, null, null), CancellationToken.None);
        var badSteps = await _folder.StartAsync([5, 50]);
        await _folder.StartAsync();
        var second = await _folder.StartAsync();

        Assert.IsType<RolloutStartOutcome.NoSuchModel>(unknownModel);
        Assert.IsType<RolloutStartOutcome.NoSuchVersion>(unknownVersion);
        Assert.IsType<RolloutStartOutcome.Invalid>(badSteps);
        Assert.IsType<RolloutStartOutcome.AlreadyRunning>(second);
        Assert.Single(_folder.State.Rollouts());
    }

    [Fact]
    public async Task ACandidateThatDoesNotLoadIsJournaledAsAbortedAndTakesNoRequests()
    {
        _folder.Versions.FailLoadWith = "model_load_failed";

        var started = await _folder.StartAsync();

        Assert.Equal("model_load_failed", Assert.IsType<RolloutStartOutcome.CandidateFailed>(started).Code);
        Assert.Equal((RolloutStates.Aborted, "candidate_load_failed"), (_folder.Journaled.State, _folder.Journaled.Code));
        Assert.Null(_folder.Live.Find(RolloutFolder.Model));
    }

    [Fact]
    public async Task EveryChangeRaisesItsEventWithTheFiguresThatDecided()
    {
        var events = new List<(string Kind, int Weight, string? Verdict)>();
        _folder.State.RolloutRecorded += e => events.Add((e.Kind, e.Rollout.Weight, e.Rollout.Last?.Verdict));
        await _folder.StartAsync([50, 100]);
        await _folder.StartControllerAsync();

        await _folder.PassIntervalAsync();
        _folder.Outcomes.CandidateWindow = new VersionWindow(100, 50, 100, 50, 0);
        await _folder.PassIntervalAsync();
        await _folder.PassIntervalAsync();

        Assert.Equal([("started", 50, null), ("step", 100, "passed"), ("aborted", 0, "failed")], events);
    }
}
