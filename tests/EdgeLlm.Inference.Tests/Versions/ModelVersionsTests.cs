using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Tests.Versions;

/// <summary>
/// Versions of a real model: a hot swap sends new requests to the new version while the ones in flight finish on the
/// old; a withdrawn model likewise; a candidate serves beside the active version until it is promoted or retired.
/// </summary>
public sealed class ModelVersionsTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-switch-").FullName;
    private readonly IOptions<InferenceOptions> _options = Options.Create(new InferenceOptions { ContextSize = 1024, MaxSequences = 2 });
    private readonly ModelRegistry _registry = new();
    private ModelLoader _loader = null!;
    private readonly CandidateModels _candidates = new();
    private ModelVersions _versions = null!;
    private ModelResidency _residency = null!;

    public Task InitializeAsync()
    {
        _loader = new ModelLoader(_options, NullLoggerFactory.Instance, TimeProvider.System);
        _residency = new ModelResidency(_registry, _loader, _options, TimeProvider.System, NullLogger<ModelResidency>.Instance, _candidates);
        _versions = new ModelVersions(
            _loader, _registry, _candidates, new VersionProbe(_options, Options.Create(new VersionProbeOptions())), _options, NullLogger<ModelVersions>.Instance, _residency);
        _registry.Replace(_loader.Load(new ModelOptions { Name = "stories", Path = Copy("v1") }));
        _registry.MarkReady();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _candidates.DisposeAsync();
        _residency.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task NewRequestsGoToTheNewVersionWhileTheOneInFlightFinishesOnTheOldWhichIsThenUnloaded()
    {
        var old = _registry.Find("stories")!;
        var inFlight = Assert.IsType<AdmissionResult.Admitted>(old.Scheduler.TrySubmit(
            new GenerationRequest(old.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, 600, []), CancellationToken.None)).Stream;

        var switched = await _versions.SwitchAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);

        Assert.Equal(Path.Combine(_folder, "v2.gguf"), Assert.IsType<ModelSwitchResult.Switched>(switched).FilePath);
        Assert.Equal(Path.Combine(_folder, "v2.gguf"), _registry.Find("stories")!.FilePath);
        Assert.Single(_registry.Models);
        var finished = await LastAsync(inFlight);
        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(600, finished.Usage.CompletionTokens);
        await old.Scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        var fresh = _registry.Find("stories")!;
        var answer = Assert.IsType<AdmissionResult.Admitted>(fresh.Scheduler.TrySubmit(
            new GenerationRequest(fresh.Tokenizer.Tokenize("Lily", false), SamplingParameters.Greedy, 4, []), CancellationToken.None)).Stream;
        Assert.Equal(FinishReason.Length, (await LastAsync(answer)).Reason);
    }

    [Fact]
    public async Task AVersionThatCannotLoadIsRefusedWithItsCodeAndTheOldOneKeepsServing()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        var broken = Path.Combine(_folder, "broken.gguf");
        File.WriteAllBytes(broken, bytes[..(bytes.Length / 2)]);
        var before = _registry.Find("stories");

        var result = await _versions.SwitchAsync(new ModelOptions { Name = "stories", Path = broken }, CancellationToken.None);

        Assert.StartsWith("gguf_", Assert.IsType<ModelSwitchResult.Failed>(result).Code, StringComparison.Ordinal);
        Assert.Same(before, _registry.Find("stories"));
        Assert.False(before!.Scheduler.Completion.IsCompleted);
    }

    [Fact]
    public async Task AWithdrawnModelIsFoundNoMoreAndUnloadsOnlyOnceTheRequestInFlightFinished()
    {
        await _versions.SwitchAsync(new ModelOptions { Name = "helper", Path = Copy("helper") }, CancellationToken.None);
        var helper = _registry.Find("helper")!;
        var inFlight = Assert.IsType<AdmissionResult.Admitted>(helper.Scheduler.TrySubmit(
            new GenerationRequest(helper.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, 300, []), CancellationToken.None)).Stream;

        var withdrawing = _versions.WithdrawAsync("helper", CancellationToken.None);
        var finished = await LastAsync(inFlight);

        Assert.True(await withdrawing);
        Assert.Null(_registry.Find("helper"));
        Assert.Equal(["stories"], _registry.Models.Select(m => m.Name));
        Assert.Equal((FinishReason.Length, 300), (finished.Reason, finished.Usage.CompletionTokens));
        Assert.True(helper.Scheduler.Completion.IsCompleted);
        Assert.False(await _versions.WithdrawAsync("helper", CancellationToken.None));
    }

    [Fact]
    public async Task ACandidateLoadsBesideTheActiveVersionAndBothServeWithTheirOwnOutcomes()
    {
        var active = _registry.Find("stories")!;

        var loaded = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);
        var since = DateTimeOffset.UtcNow;
        var candidate = _candidates.Find("stories")!;
        var onActive = await LastAsync(Submit(active, 4));
        var onCandidate = await LastAsync(Submit(candidate, 4));
        var onCandidateAgain = await LastAsync(Submit(candidate, 4));

        Assert.Equal(Path.Combine(_folder, "v2.gguf"), Assert.IsType<ModelSwitchResult.Switched>(loaded).FilePath);
        Assert.Equal(Path.Combine(_folder, "v2.gguf"), _versions.CandidatePath("stories"));
        Assert.Same(active, _registry.Find("stories"));
        Assert.Single(_registry.Models);
        Assert.NotSame(active, candidate);
        Assert.Equal([FinishReason.Length, FinishReason.Length, FinishReason.Length], new[] { onActive.Reason, onCandidate.Reason, onCandidateAgain.Reason });
        var outcomes = new VersionOutcomes(_registry, _candidates);
        var until = DateTimeOffset.UtcNow.AddSeconds(1);
        Assert.Equal((1, 0), Counts(outcomes.Window("stories", ServedVersion.Active, since, until)));
        Assert.Equal((2, 0), Counts(outcomes.Window("stories", ServedVersion.Candidate, since, until)));
        Assert.NotNull(outcomes.Window("stories", ServedVersion.Candidate, since, until).TimeToFirstTokenP95Ms);
        Assert.Equal((0, 0), Counts(outcomes.Window("nobody", ServedVersion.Candidate, since, until)));
    }

    [Fact]
    public async Task PromotingServesTheCandidateUnderTheNameWhileTheRequestInFlightOnTheOldVersionFinishesThere()
    {
        var old = _registry.Find("stories")!;
        await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);
        var candidate = _candidates.Find("stories")!;
        var inFlight = Submit(old, 600);

        var promoted = await _versions.PromoteCandidateAsync("stories", CancellationToken.None);

        Assert.True(promoted);
        Assert.Same(candidate, _registry.Find("stories"));
        Assert.Single(_registry.Models);
        Assert.Null(_versions.CandidatePath("stories"));
        var finished = await LastAsync(inFlight);
        Assert.Equal((FinishReason.Length, 600), (finished.Reason, finished.Usage.CompletionTokens));
        await old.Scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(FinishReason.Length, (await LastAsync(Submit(candidate, 4))).Reason);
        Assert.False(await _versions.PromoteCandidateAsync("stories", CancellationToken.None));
    }

    [Fact]
    public async Task RetiringTheCandidateUnloadsItOnceItsRequestInFlightFinishedAndTheActiveVersionServesOn()
    {
        var active = _registry.Find("stories")!;
        await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);
        var candidate = _candidates.Find("stories")!;
        var inFlight = Submit(candidate, 300);

        var retiring = _versions.RetireCandidateAsync("stories", CancellationToken.None);
        var finished = await LastAsync(inFlight);

        Assert.True(await retiring);
        Assert.Equal((FinishReason.Length, 300), (finished.Reason, finished.Usage.CompletionTokens));
        Assert.True(candidate.Scheduler.Completion.IsCompleted);
        Assert.Null(_versions.CandidatePath("stories"));
        Assert.Same(active, _registry.Find("stories"));
        Assert.Equal(FinishReason.Length, (await LastAsync(Submit(active, 4))).Reason);
        Assert.False(await _versions.RetireCandidateAsync("stories", CancellationToken.None));
    }

    [Fact]
    public async Task ACandidateNeedsAnActiveVersionAndAModelHasOneCandidateAtATime()
    {
        var orphan = await _versions.LoadCandidateAsync(new ModelOptions { Name = "nobody", Path = Copy("orphan") }, CancellationToken.None);
        var first = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);
        var loaded = _candidates.Find("stories");
        var again = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Path.Combine(_folder, "v2.gguf") }, CancellationToken.None);
        var other = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v3") }, CancellationToken.None);

        Assert.Equal("no_active_version", Assert.IsType<ModelSwitchResult.Failed>(orphan).Code);
        Assert.IsType<ModelSwitchResult.Switched>(first);
        Assert.IsType<ModelSwitchResult.Switched>(again);
        Assert.Equal("candidate_exists", Assert.IsType<ModelSwitchResult.Failed>(other).Code);
        Assert.Same(loaded, _candidates.Find("stories"));
        Assert.Null(_candidates.Find("nobody"));
    }

    [Fact]
    public async Task ACandidateThatCannotLoadIsRefusedWithItsCodeAndNothingChanges()
    {
        var bytes = File.ReadAllBytes(TestModels.Stories260K);
        var broken = Path.Combine(_folder, "broken.gguf");
        File.WriteAllBytes(broken, bytes[..(bytes.Length / 2)]);
        var before = _registry.Find("stories");

        var result = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = broken }, CancellationToken.None);

        Assert.StartsWith("gguf_", Assert.IsType<ModelSwitchResult.Failed>(result).Code, StringComparison.Ordinal);
        Assert.Null(_versions.CandidatePath("stories"));
        Assert.Same(before, _registry.Find("stories"));
    }

    [Fact]
    public async Task ACandidateThatWouldExceedTheMemoryBudgetIsRefusedAndCountsOnceLoaded()
    {
        var active = _registry.Find("stories")!;

        // Room for the active version and one more copy, never two more.
        _residency.Configure(new MemoryBudget((2 * active.Footprint.TotalBytes) + 1, []), gpuPresent: false);
        var first = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);
        Assert.IsType<ModelSwitchResult.Switched>(first);
        Assert.Contains("exceeds the memory budget", _residency.RoomFor(new ModelOptions { Name = "stories", Path = Copy("v3") }), StringComparison.Ordinal);

        await _versions.RetireCandidateAsync("stories", CancellationToken.None);
        _residency.Configure(new MemoryBudget(active.Footprint.TotalBytes + 1, []), gpuPresent: false);
        var refused = await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Path.Combine(_folder, "v3.gguf") }, CancellationToken.None);

        Assert.Equal("memory_budget_exceeded", Assert.IsType<ModelSwitchResult.Failed>(refused).Code);
        Assert.Null(_versions.CandidatePath("stories"));
        Assert.Same(active, _registry.Find("stories"));
    }

    [Fact]
    public async Task WithdrawingAModelRetiresItsCandidateToo()
    {
        await _versions.LoadCandidateAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);
        var candidate = _candidates.Find("stories")!;

        Assert.True(await _versions.WithdrawAsync("stories", CancellationToken.None));

        Assert.Null(_registry.Find("stories"));
        Assert.Null(_versions.CandidatePath("stories"));
        Assert.True(candidate.Scheduler.Completion.IsCompleted);
    }

    private static GenerationStream Submit(LoadedModel model, int tokens) =>
        Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(
            new GenerationRequest(model.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, tokens, []), CancellationToken.None)).Stream;

    private static (int Requests, int Errors) Counts(VersionWindow window) => (window.Requests, window.Errors);

    private string Copy(string name)
    {
        var path = Path.Combine(_folder, name + ".gguf");
        File.Copy(TestModels.Stories260K, path);
        return path;
    }

    private static async Task<GenerationFinished> LastAsync(GenerationStream stream)
    {
        GenerationFinished? finished = null;
        await foreach (var item in stream.ReadAllAsync())
        {
            finished = item as GenerationFinished ?? finished;
        }

        return finished!;
    }
}
