using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Tests.Models;

/// <summary>Hot swap of a real model: new requests go to the new version, the ones in flight finish on the old; a withdrawn model likewise.</summary>
public sealed class ModelSwitcherTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-switch-").FullName;
    private readonly IOptions<InferenceOptions> _options = Options.Create(new InferenceOptions { ContextSize = 1024, MaxSequences = 2 });
    private readonly ModelRegistry _registry = new();
    private ModelLoader _loader = null!;
    private ModelSwitcher _switcher = null!;

    public Task InitializeAsync()
    {
        _loader = new ModelLoader(_options, NullLoggerFactory.Instance, TimeProvider.System);
        _switcher = new ModelSwitcher(_loader, _registry, _options, NullLogger<ModelSwitcher>.Instance);
        _registry.Replace(_loader.Load(new ModelOptions { Name = "stories", Path = Copy("v1") }));
        _registry.MarkReady();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task NewRequestsGoToTheNewVersionWhileTheOneInFlightFinishesOnTheOldWhichIsThenUnloaded()
    {
        var old = _registry.Find("stories")!;
        var inFlight = Assert.IsType<AdmissionResult.Admitted>(old.Scheduler.TrySubmit(
            new GenerationRequest(old.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, 600, []), CancellationToken.None)).Stream;

        var switched = await _switcher.SwitchAsync(new ModelOptions { Name = "stories", Path = Copy("v2") }, CancellationToken.None);

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

        var result = await _switcher.SwitchAsync(new ModelOptions { Name = "stories", Path = broken }, CancellationToken.None);

        Assert.StartsWith("gguf_", Assert.IsType<ModelSwitchResult.Failed>(result).Code, StringComparison.Ordinal);
        Assert.Same(before, _registry.Find("stories"));
        Assert.False(before!.Scheduler.Completion.IsCompleted);
    }

    [Fact]
    public async Task AWithdrawnModelIsFoundNoMoreAndUnloadsOnlyOnceTheRequestInFlightFinished()
    {
        await _switcher.SwitchAsync(new ModelOptions { Name = "helper", Path = Copy("helper") }, CancellationToken.None);
        var helper = _registry.Find("helper")!;
        var inFlight = Assert.IsType<AdmissionResult.Admitted>(helper.Scheduler.TrySubmit(
            new GenerationRequest(helper.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, 300, []), CancellationToken.None)).Stream;

        var withdrawing = _switcher.WithdrawAsync("helper", CancellationToken.None);
        var finished = await LastAsync(inFlight);

        Assert.True(await withdrawing);
        Assert.Null(_registry.Find("helper"));
        Assert.Equal(["stories"], _registry.Models.Select(m => m.Name));
        Assert.Equal((FinishReason.Length, 300), (finished.Reason, finished.Usage.CompletionTokens));
        Assert.True(helper.Scheduler.Completion.IsCompleted);
        Assert.False(await _switcher.WithdrawAsync("helper", CancellationToken.None));
    }

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
