using System.Text.Json.Nodes;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Policies;

/// <summary>
/// A guardrail policy canaried like a model version, through the real installer, journal and policy store (real
/// minisign, real state.db): a share of clients screened by the candidate, judged on what it blocked, then promoted or
/// aborted; a restart resumes it or finishes a decided promotion.
/// </summary>
public sealed class PolicyRolloutTests : IAsyncLifetime
{
    private const string Clean = "Please summarise the meeting notes.";
    private const string AboutInvoices = "Please send the invoice for March.";
    private static readonly JsonObject HalfThenAll = new() { ["steps"] = new JsonArray(50, 100) };
    private PolicyDevice _device = null!;

    public async Task InitializeAsync()
    {
        _device = await PolicyDevice.StartAsync();
        await _device.InstalledAsync(await _device.PublishAsync(Policy("doc-1")));
    }

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task ABundlesRolloutPutsThePolicyOnTrialForItsShareOfClientsWhileTheCatalogKeepsTheActiveVersion()
    {
        var outcome = await _device.InstallAsync(await _device.PublishAsync(Policy("doc-2", "invoice"), rollout: HalfThenAll.DeepClone().AsObject()));

        Assert.Equal(["policy:default:stable-2"], Assert.IsType<InstallOutcome.Installed>(outcome).Items);
        var rollout = Journaled();
        Assert.Equal((RolloutKinds.Policy, "default", "bundle", "stable-2", "stable-1", 50), (rollout.Kind, rollout.Model, rollout.Origin, rollout.Candidate.Version, rollout.ActiveVersion, rollout.Weight));
        Assert.Equal("stable-1", _device.State.FindInstalled("policy", "default")!.Active!.Version);
        Assert.Equal(("doc-1", "doc-2"), (_device.Store.Current.Version, _device.Store.Candidate!.Policies.Version));

        var sides = Enumerable.Range(0, 400).Select(i => _device.Enforcer.Begin(null, $"key-{i}")).ToList();
        var onCandidate = sides.Count(s => s.Side == PolicySide.Candidate);
        Assert.InRange(onCandidate, 140, 260);
        Assert.All(sides, s => Assert.Equal(s.Side == PolicySide.Candidate ? "doc-2" : "doc-1", s.Policy.Version));
        // Sticky: a client asking again is screened by the same version.
        Assert.All(Enumerable.Range(0, 400), i => Assert.Equal(sides[i].Side, _device.Enforcer.Begin(null, $"key-{i}").Side));
    }

    [Fact]
    public async Task ACandidateThatBlocksWhatTheActivePolicyAllowsIsAbortedOnItsBlockedShareAndEveryClientIsBackOnTheActivePolicy()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("doc-2", "invoice"), rollout: HalfThenAll.DeepClone().AsObject()));

        await WindowAsync(AboutInvoices);
        Assert.Equal((RolloutStates.Running, 1), (Journaled().State, Journaled().Failures));
        await WindowAsync(AboutInvoices);

        var rollout = Journaled();
        Assert.Equal((RolloutStates.Aborted, "analysis_failed"), (rollout.State, rollout.Code));
        Assert.Contains("blocked_share", rollout.Last!.Reasons);
        Assert.Equal((1.0, 0.0), (rollout.Last.Candidate.BlockedShare, rollout.Last.Active.BlockedShare));
        Assert.Null(_device.Store.Candidate);
        Assert.Equal("doc-1", _device.Store.Current.Version);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Null(_device.Enforcer.Begin(null, $"key-{i}").Screen(AboutInvoices, GuardrailDirection.Input).BlockedBy));
        Assert.Equal("stable-1", _device.State.FindInstalled("policy", "default")!.Active!.Version);
        Assert.False(Directory.Exists(Path.Combine(_device.Root, "policies", "default", "stable-2")));
    }

    [Fact]
    public async Task AHealthyCandidatePromotesThroughItsStepsIsThenInForceForEveryoneAndCanBeRolledBack()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("doc-2"), rollout: HalfThenAll.DeepClone().AsObject()));
        var onTrial = _device.Store.Candidate!.Policies;

        await WindowAsync(Clean);
        Assert.Equal((RolloutStates.Running, 100), (Journaled().State, Journaled().Weight));
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(PolicySide.Candidate, _device.Enforcer.Begin(null, $"key-{i}").Side));
        await WindowAsync(Clean);

        var rollout = Journaled();
        Assert.Equal((RolloutStates.Promoted, "analysis_passed"), (rollout.State, rollout.Code));
        Assert.True(rollout.Last!.AgainstBaseline);
        var installed = _device.State.FindInstalled("policy", "default")!;
        Assert.Equal(("stable-2", "stable-1"), (installed.Active!.Version, installed.Previous!.Version));
        // The set on trial itself is put in force: its detectors, built for the trial, serve on.
        Assert.Same(onTrial, _device.Store.Current);
        Assert.Null(_device.Store.Candidate);
        Assert.Null(_device.Enforcer.Begin(null, "key-1").Side);
        Assert.Contains(_device.State.History(5), e => e.Event == "promoted");

        Assert.IsType<RollbackOutcome.RolledBack>(await _device.Rollback.RollBackAsync("default", CancellationToken.None));
        Assert.Equal("doc-1", _device.Store.Current.Version);
    }

    [Fact]
    public async Task ARestartMidRolloutPutsTheActiveVersionInForceThenTheCandidateBackOnTrialWithEveryClientOnItsSide()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("doc-2", "invoice"), rollout: HalfThenAll.DeepClone().AsObject()));
        var before = Enumerable.Range(0, 100).Select(i => _device.Enforcer.Begin(null, $"key-{i}").Side).ToList();

        await _device.RestartAsync();
        Assert.Equal("doc-1", _device.Store.Current.Version);
        Assert.Null(_device.Store.Candidate);
        await _device.Rollouts.ResumeAfterStartAsync(CancellationToken.None);

        Assert.Equal("doc-2", _device.Store.Candidate!.Policies.Version);
        Assert.Equal(before, Enumerable.Range(0, 100).Select(i => _device.Enforcer.Begin(null, $"key-{i}").Side));
        Assert.Equal((RolloutStates.Running, 50), (Journaled().State, Journaled().Weight));
    }

    [Fact]
    public async Task APromotionJournaledBeforeACrashIsFinishedAtTheNextStartAndThePromotedVersionIsInForce()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("doc-2"), rollout: HalfThenAll.DeepClone().AsObject()));
        var rollout = Journaled();
        (rollout.State, rollout.Code) = (RolloutStates.Promoting, "operator_promote");
        _device.State.SaveRollout(rollout);

        await _device.RestartAsync();

        Assert.Equal(RolloutStates.Promoted, Journaled().State);
        Assert.Equal("stable-2", _device.State.FindInstalled("policy", "default")!.Active!.Version);
        Assert.Equal("doc-2", _device.Store.Current.Version);
        await _device.Rollouts.ResumeAfterStartAsync(CancellationToken.None);
        Assert.Null(_device.Store.Candidate);
    }

    [Fact]
    public async Task TheOperatorCanariesThePreviousVersionPausesAndAbortsItAndAnUnreadableFileNeverGoesOnTrial()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("doc-2")));

        var unknown = await _device.Rollouts.StartAsync(new RolloutRequest("other", "stable-1", null, null, null, null, RolloutKinds.Policy), CancellationToken.None);
        var started = await _device.Rollouts.StartAsync(new RolloutRequest("default", "stable-1", null, [25, 100], null, RolloutStickiness.User, RolloutKinds.Policy), CancellationToken.None);

        Assert.IsType<RolloutStartOutcome.NoSuchModel>(unknown);
        Assert.Equal(("admin", 25, "User"), (Assert.IsType<RolloutStartOutcome.Started>(started).Rollout.Origin, Journaled().Weight, Journaled().StickyBy));
        Assert.Equal(("doc-2", "doc-1"), (_device.Store.Current.Version, _device.Store.Candidate!.Policies.Version));
        Assert.IsType<RolloutCommandOutcome.Done>(await _device.Rollouts.PauseAsync(RolloutKinds.Policy, "default", CancellationToken.None));
        // A model of that name has no rollout: the kinds are apart.
        Assert.IsType<RolloutCommandOutcome.NotRunning>(await _device.Rollouts.AbortAsync(RolloutKinds.Model, "default", CancellationToken.None));
        Assert.IsType<RolloutCommandOutcome.Done>(await _device.Rollouts.AbortAsync(RolloutKinds.Policy, "default", CancellationToken.None));
        Assert.Equal((RolloutStates.Aborted, "operator_abort"), (Journaled().State, Journaled().Code));
        Assert.Null(_device.Store.Candidate);

        var broken = Path.Combine(_device.Root, "broken.policy.json");
        await File.WriteAllTextAsync(broken, """{ "version": "x", "failure_mode": "sideways" }""");
        var failed = await _device.Rollouts.StartAsync(new RolloutRequest("default", null, broken, null, null, null, RolloutKinds.Policy), CancellationToken.None);

        var refused = Assert.IsType<RolloutStartOutcome.CandidateFailed>(failed);
        Assert.Equal(PolicyArtifacts.Invalid, refused.Code);
        Assert.Contains("$.failure_mode", refused.Message, StringComparison.Ordinal);
        var journaled = _device.State.Rollouts().Single(r => r.Id == refused.Rollout.Id);
        Assert.Equal((RolloutStates.Aborted, "candidate_load_failed"), (journaled.State, journaled.Code));
        Assert.Null(_device.Store.Candidate);
        Assert.Equal("doc-2", _device.Store.Current.Version);
    }

    /// <summary>Forty clients each send <paramref name="text"/>, one interval passes, and the window is judged.</summary>
    private async Task WindowAsync(string text)
    {
        for (var i = 0; i < 40; i++)
        {
            _device.Enforcer.Begin(null, $"key-{i}").Screen(text, GuardrailDirection.Input);
        }

        _device.Clock.Advance(PolicyDevice.RolloutInterval);
        await _device.Rollouts.JudgeDueAsync(CancellationToken.None);
    }

    /// <summary>The one policy rollout a test started, as journaled now.</summary>
    private RolloutRecord Journaled() => _device.State.Rollouts().First(r => r.Kind == RolloutKinds.Policy);

    private static string Policy(string version, string? denied = null) => denied is null
        ? $$"""{ "version": "{{version}}", "deny": [ { "name": "no-project-x", "keywords": ["project x"] } ] }"""
        : $$"""{ "version": "{{version}}", "deny": [ { "name": "no-project-x", "keywords": ["project x"] }, { "name": "no-{{denied}}", "keywords": ["{{denied}}"] } ] }""";
}
