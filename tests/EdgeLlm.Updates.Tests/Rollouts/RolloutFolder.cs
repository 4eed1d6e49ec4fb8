using EdgeLlm.Inference;
using EdgeLlm.Storage;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>
/// A scratch data directory with the real LiteDB state.db, a configured model <c>assistant</c>, an installed version
/// folder to try as candidate, and the rollouts composed over fake running models and a fake clock. <see cref="Restart"/>
/// opens the same state.db again in a new "process" (new rollouts, new running models), as after a crash.
/// </summary>
internal sealed class RolloutFolder : IAsyncDisposable
{
    public const string Model = "assistant";
    public const string CandidateVersion = "stable-3";
    private StateDatabase _database;
    private RolloutController? _controller;

    public RolloutFolder(Action<UpdatesOptions>? configure = null)
    {
        Layout = new DataDirectoryLayout(Directory.CreateTempSubdirectory("edgellm-rollout-").FullName);
        Paths = new UpdatePaths(Layout);
        ConfiguredPath = Path.Combine(Layout.Root, "configured", Model + ".gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(ConfiguredPath)!);
        File.WriteAllBytes(ConfiguredPath, new byte[16]);
        CandidateFolder = Paths.VersionDirectory("model", Model, CandidateVersion);
        Directory.CreateDirectory(CandidateFolder);
        CandidatePath = Path.Combine(CandidateFolder, Model + ".gguf");
        File.WriteAllBytes(CandidatePath, new byte[16]);

        var options = new UpdatesOptions { RolloutInterval = TimeSpan.FromMinutes(10), RolloutMinSamples = 20, RolloutFailureLimit = 2 };
        configure?.Invoke(options);
        Options = Microsoft.Extensions.Options.Options.Create(options);
        Inference = Microsoft.Extensions.Options.Options.Create(new InferenceOptions { Models = [new ModelOptions { Name = Model, Path = ConfiguredPath }] });
        _database = new StateDatabase(Layout.StateDatabase);
        Compose();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    public DataDirectoryLayout Layout { get; }

    public UpdatePaths Paths { get; }

    public string ConfiguredPath { get; }

    public string CandidateFolder { get; }

    public string CandidatePath { get; }

    public Microsoft.Extensions.Options.IOptions<UpdatesOptions> Options { get; }

    public Microsoft.Extensions.Options.IOptions<InferenceOptions> Inference { get; }

    public UpdateStateStore State { get; private set; } = null!;

    public StorageCollector Storage { get; private set; } = null!;

    public FakeModelVersions Versions { get; private set; } = null!;

    public FakeVersionOutcomes Outcomes { get; private set; } = null!;

    public LiveRollouts Live { get; private set; } = null!;

    public StickyCanarySplit Split { get; private set; } = null!;

    public CanaryRollouts Rollouts { get; private set; } = null!;

    internal RolloutTransitions Transitions { get; private set; } = null!;

    /// <summary>The rollout of <see cref="Model"/> as journaled now (the newest).</summary>
    public RolloutRecord Journaled => State.Rollouts().First(r => r.Model == Model);

    /// <summary>Starts the candidate folder's version as the operator does.</summary>
    public Task<RolloutStartOutcome> StartAsync(IReadOnlyList<int>? steps = null) =>
        Rollouts.StartAsync(new RolloutRequest(Model, CandidateVersion, null, steps, null, null), CancellationToken.None);

    /// <summary>Runs the controller as the host does, the models already serving.</summary>
    public Task StartControllerAsync()
    {
        _controller = new RolloutController(Rollouts, Task.CompletedTask, Clock);
        return _controller.StartAsync(CancellationToken.None);
    }

    /// <summary>One interval passes; waits until the controller judged the window that ended (the journal's window moved on, or the rollout ended).</summary>
    public async Task PassIntervalAsync()
    {
        var before = Journaled.WindowStartTicks;
        Clock.Advance(Options.Value.RolloutInterval);
        await Support.Poll.Until(() => Journaled is var r && (r.WindowStartTicks != before || r.IsFinished));
    }

    /// <summary>
    /// The candidate's live share once it matches the journal's step: the controller journals a window before it
    /// moves the live split, so a read right after <see cref="PassIntervalAsync"/> may see the step before.
    /// </summary>
    public async Task<int> LiveWeightAsync()
    {
        await Support.Poll.Until(() => Live.Find(Model)?.WeightPercent == Journaled.Weight);
        return Journaled.Weight;
    }

    /// <summary>The process ends (as by kill -9: nothing is flushed beyond what the journal holds) and a new one opens the same state.db.</summary>
    public async Task RestartAsync()
    {
        await StopControllerAsync();
        _database.Dispose();
        _database = new StateDatabase(Layout.StateDatabase);
        Compose();
    }

    /// <summary>The start-up's choice of files for the models, rollout recovery ahead of install recovery, as the daemon composes them.</summary>
    public IReadOnlyList<ModelOptions> StartupModels()
    {
        var installs = new StartupRecovery(State, Storage, new RecoveryGate(), Options, NullLogger<StartupRecovery>.Instance);
        return new RolloutStartup(installs, Transitions).StartupModels(Inference.Value.Models);
    }

    public async ValueTask DisposeAsync()
    {
        await StopControllerAsync();
        _database.Dispose();
        Directory.Delete(Layout.Root, recursive: true);
    }

    private async Task StopControllerAsync()
    {
        if (_controller is not null)
        {
            await _controller.StopAsync(CancellationToken.None);
            _controller.Dispose();
            _controller = null;
        }
    }

    private void Compose()
    {
        State = new UpdateStateStore(_database, Clock);
        Storage = new StorageCollector(State, Paths, Options, NullLogger<StorageCollector>.Instance);
        Versions = new FakeModelVersions();
        Outcomes = new FakeVersionOutcomes();
        Live = new LiveRollouts();
        Split = new StickyCanarySplit(Live);
        Transitions = new RolloutTransitions(State, [new ModelRolloutSubject(State, Versions, Outcomes, Live, Paths, Inference)], Storage, NullLogger<CanaryRollouts>.Instance);
        var candidates = new RolloutCandidates(State, Transitions, Options);
        Rollouts = new CanaryRollouts(State, candidates, Transitions, Options, NullLogger<CanaryRollouts>.Instance);
    }
}
