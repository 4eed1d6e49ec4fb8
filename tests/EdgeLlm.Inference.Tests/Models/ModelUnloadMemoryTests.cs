using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Inference.Tests.Models;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "inference-measured-alone";
}

/// <summary>
/// An idle unload gives the memory back: the process's resident native memory falls by about the model's KV cache.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class ModelUnloadMemoryTests
{
    [Fact]
    public async Task AnIdleUnloadFreesTheModelsMemoryAsMeasuredInTheResidentSet()
    {
        // stories260K with 131,072 cells: 5 layers × 2 × 4 heads × 8 × 2 bytes = 640 B a cell, 80 MiB of cache that
        // llama.cpp clears (touches) at load, so it is resident, against 1 MiB of weights.
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var model = new ModelOptions { Name = "small", Path = TestModels.Stories260K, LoadPolicy = "on-demand", ContextSize = 8192, MaxSequences = 16, KeepAlive = TimeSpan.FromMinutes(1) };
        var options = Options.Create(new InferenceOptions { Models = [model] });
        var registry = new ModelRegistry();
        using var residency = new ModelResidency(registry, new ModelLoader(options, NullLoggerFactory.Instance, time), options, time, NullLogger<ModelResidency>.Instance);
        residency.Configure(new MemoryBudget(1L << 34, []), gpuPresent: false);
        var slot = residency.Register(model);
        registry.MarkReady();
        var kv = slot.Footprint.KvCacheBytes;
        Assert.Equal(80L << 20, kv);

        var before = Resident();
        using (var lease = Assert.IsType<ModelAcquisition.Ready>(await residency.AcquireAsync("small", CancellationToken.None)).Lease)
        {
            Assert.NotNull(lease.Model);
        }

        var loaded = Resident();
        time.Advance(TimeSpan.FromMinutes(2));
        foreach (var idle in residency.TakeIdle())
        {
            await residency.RetireAsync(idle);
        }

        var unloaded = Resident();
        Assert.Equal(ModelState.Unloaded, slot.State);
        Assert.True(loaded - before > kv / 2, $"loading added {loaded - before} bytes of resident native memory, expected more than half of the {kv}-byte cache");
        Assert.True(loaded - unloaded > kv / 2, $"unloading gave back {loaded - unloaded} bytes of resident native memory, expected more than half of the {kv}-byte cache");
        await registry.DisposeAsync();
    }

    /// <summary>
    /// Anonymous resident memory less what the managed heap has committed: a collection between two readings can
    /// commit or decommit tens of megabytes of heap in a process that has run hundreds of tests, which would
    /// otherwise hide or fake the native memory this test is about.
    /// </summary>
    private static long Resident()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var managed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            // "RssAnon:	   40960 kB"
            if (line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) is ["RssAnon:", var kilobytes, "kB"])
            {
                return (long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024) - managed;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no RssAnon line.");
    }
}
