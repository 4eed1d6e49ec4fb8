using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Inference.Tests.Models;

/// <summary>
/// On-demand models under a memory budget, with two real models ("small" stories260K, "large" tiny-random Llama 2): a
/// budget that fits one of them makes loads evict and reload, a busy model is never evicted, concurrent requests share
/// one load, the keep-alive unloads, and a failed load is refused for a while.
/// </summary>
public sealed class ModelResidencyTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgellm-residency-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ModelRegistry _registry = new();
    private ModelResidency _residency = null!;
    private ModelSlot _small = null!;
    private ModelSlot _large = null!;

    public Task InitializeAsync()
    {
        var small = new ModelOptions { Name = "small", Path = Copy(TestModels.Stories260K, "small"), LoadPolicy = "on-demand", ContextSize = 4096, MaxSequences = 1 };
        var large = new ModelOptions { Name = "large", Path = Copy(TestModels.TinyRandomLlama2, "large"), LoadPolicy = "on-demand", ContextSize = 256, MaxSequences = 2 };
        // The fake clock jumps minutes; a request must not time out on it while a test holds the model busy.
        var options = Options.Create(new InferenceOptions { Models = [small, large], KeepAlive = TimeSpan.FromMinutes(5), RequestTimeout = TimeSpan.FromHours(2) });
        var loader = new ModelLoader(options, NullLoggerFactory.Instance, _time);
        _residency = new ModelResidency(_registry, loader, options, _time, NullLogger<ModelResidency>.Instance);
        var smallFootprint = loader.Inspect(small).Footprint.TotalBytes;
        var largeFootprint = loader.Inspect(large).Footprint.TotalBytes;

        // Room for either model, never both.
        _residency.Configure(new MemoryBudget(Math.Max(smallFootprint, largeFootprint) + 1, []), gpuPresent: false);
        _small = _residency.Register(small);
        _large = _residency.Register(large);
        _residency.CheckBudget();
        _registry.MarkReady();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _residency.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ABudgetForOneModelEvictsTheLeastRecentlyUsedAndReloadsIt()
    {
        Assert.Equal(ModelState.Unloaded, _small.State);
        Assert.Empty(_registry.Models);

        var first = await ModelAsync("small");
        Assert.Equal(ModelState.Loaded, _small.State);
        Assert.Equal(ModelState.Unloaded, _large.State);

        var large = await ModelAsync("large");
        Assert.Equal(ModelState.Loaded, _large.State);
        Assert.Equal(ModelState.Unloaded, _small.State);
        Assert.Same(large, Assert.Single(_registry.Models));
        await first.Scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var again = await ModelAsync("small");
        Assert.NotSame(first, again);
        Assert.Equal(ModelState.Unloaded, _large.State);
        Assert.Equal(4, await GenerateAsync(again, 4));
    }

    [Fact]
    public async Task ConcurrentRequestsForAnUnloadedModelShareOneLoad()
    {
        var acquisitions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _residency.AcquireAsync("small", CancellationToken.None))));

        var leases = acquisitions.Select(a => Assert.IsType<ModelAcquisition.Ready>(a).Lease).ToList();
        Assert.All(leases, lease => Assert.Same(leases[0].Model, lease.Model));
        Assert.Same(leases[0].Model, Assert.Single(_registry.Models));
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task AModelInUseIsNeverEvictedAndTheOtherIsRefusedWithARetryTime()
    {
        var held = Assert.IsType<ModelAcquisition.Ready>(await _residency.AcquireAsync("small", CancellationToken.None)).Lease;

        var refused = Assert.IsType<ModelAcquisition.NotReady>(await _residency.AcquireAsync("large", CancellationToken.None));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(ModelState.Loaded, _small.State);

        // Released, but generating: its scheduler's work keeps it in memory just the same.
        var small = held.Model;
        var stream = Assert.IsType<AdmissionResult.Admitted>(small.Scheduler.TrySubmit(
            new GenerationRequest(small.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, 4_000, []), CancellationToken.None)).Stream;
        held.Dispose();
        Assert.IsType<ModelAcquisition.NotReady>(await _residency.AcquireAsync("large", CancellationToken.None));
        Assert.Same(small, _small.Loaded);
        _ = stream;
    }

    [Fact]
    public async Task AnOnDemandModelIsUnloadedOnceItsKeepAliveRanOutWithoutRequests()
    {
        var model = await ModelAsync("small");

        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(_residency.TakeIdle());
        Assert.Equal(ModelState.Loaded, _small.State);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Same(model, Assert.Single(_residency.TakeIdle()));
        Assert.Equal(ModelState.Unloaded, _small.State);
        Assert.Empty(_registry.Models);
        await _residency.RetireAsync(model);
        await model.Scheduler.Completion.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AModelSeenBusyCountsAsUsedSoItsKeepAliveStartsWhenItIsIdle()
    {
        var model = await ModelAsync("small");
        var stream = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(
            new GenerationRequest(model.Tokenizer.Tokenize("Once upon a time", false), SamplingParameters.Greedy, 4_000, []), CancellationToken.None)).Stream;

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(_residency.TakeIdle());
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(_residency.TakeIdle());
        Assert.Equal(ModelState.Loaded, _small.State);
        _ = stream;
    }

    [Fact]
    public async Task AFailedLoadIsRefusedWithItsCodeUntilTheBackOffPassesThenTriedAgain()
    {
        var path = _small.Version.Path;
        var good = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, "GGUF but not really"u8.ToArray());

        var failed = Assert.IsType<ModelAcquisition.NotReady>(await _residency.AcquireAsync("small", CancellationToken.None));
        Assert.Equal(ModelState.Failed, _small.State);
        Assert.StartsWith("gguf_", _small.Failure!.Value.Code, StringComparison.Ordinal);
        Assert.Contains(_small.Failure!.Value.Code, failed.Message, StringComparison.Ordinal);

        await File.WriteAllBytesAsync(path, good);
        _time.Advance(TimeSpan.FromSeconds(10));
        var held = Assert.IsType<ModelAcquisition.NotReady>(await _residency.AcquireAsync("small", CancellationToken.None));
        Assert.InRange(held.RetryAfter, TimeSpan.FromSeconds(19), TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(4, await GenerateAsync(await ModelAsync("small"), 4));
        Assert.Null(_small.Failure);
    }

    [Fact]
    public async Task AnUnknownNameIsNotFound() =>
        Assert.IsType<ModelAcquisition.NotFound>(await _residency.AcquireAsync("medium", CancellationToken.None));

    private async Task<LoadedModel> ModelAsync(string name)
    {
        using var lease = Assert.IsType<ModelAcquisition.Ready>(await _residency.AcquireAsync(name, CancellationToken.None)).Lease;
        return lease.Model;
    }

    private static async Task<int> GenerateAsync(LoadedModel model, int tokens)
    {
        var stream = Assert.IsType<AdmissionResult.Admitted>(model.Scheduler.TrySubmit(
            new GenerationRequest(model.Tokenizer.Tokenize("Lily", false), SamplingParameters.Greedy, tokens, []), CancellationToken.None)).Stream;
        GenerationFinished? finished = null;
        await foreach (var item in stream.ReadAllAsync())
        {
            finished = item as GenerationFinished ?? finished;
        }

        return finished!.Usage.CompletionTokens;
    }

    private string Copy(string source, string name)
    {
        var path = Path.Combine(_folder, name + ".gguf");
        File.Copy(source, path);
        return path;
    }
}
