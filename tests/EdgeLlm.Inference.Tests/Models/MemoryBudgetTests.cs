using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Models;

namespace EdgeLlm.Inference.Tests.Models;

public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData(24L << 30, (24L << 30) - ((24L << 30) / 10))]
    [InlineData(4L << 30, 3L << 30)]
    [InlineData(1L << 30, 1L << 29)]
    public void TheDefaultKeepsTenPercentAtLeastOneGibibyteNeverMoreThanHalf(long reported, long expected) =>
        Assert.Equal(expected, MemoryBudget.WithMargin(reported));

    [Fact]
    public void AConfiguredBudgetWinsAndEachGpuWithoutOneGetsItsFreeMemoryLessTheMargin()
    {
        var gpus = new[] { new DeviceInfo("CUDA0", "H200", DeviceType.Gpu, 100L << 30, 140L << 30), new DeviceInfo("CUDA1", "H200", DeviceType.Gpu, 20L << 30, 140L << 30) };

        var budget = MemoryBudget.Resolve(new InferenceOptions { MemoryBudgetBytes = 8L << 30, GpuMemoryBudgetBytes = [50L << 30] }, gpus, 64L << 30);

        Assert.Equal(8L << 30, budget.HostBytes);
        Assert.Equal([50L << 30, 18L << 30], budget.GpuBytes);
        Assert.Equal(0, budget.Gpu(2));
        Assert.Equal(MemoryBudget.WithMargin(64L << 30), MemoryBudget.Resolve(new InferenceOptions(), [], 64L << 30).HostBytes);
    }

    [Theory]
    [InlineData("MemTotal:       24576000 kB\nMemFree: 1 kB\n", null, 24576000L * 1024)]
    [InlineData("MemTotal:       24576000 kB\n", "8589934592\n", 8589934592L)]
    [InlineData("MemTotal:       24576000 kB\n", "max\n", 24576000L * 1024)]
    [InlineData("", "1073741824", 1073741824L)]
    [InlineData("garbage", "garbage", 0L)]
    public void TheHostReportsItsMemoryOrTheContainersLimitWhenLower(string meminfo, string? cgroup, long expected) =>
        Assert.Equal(expected, HostMemory.ReportedBytes(meminfo, cgroup));

    [Fact]
    public void AFootprintGoesToTheGpuByTheShareOfLayersOffloaded()
    {
        var footprint = new ModelFootprint(800, 150, 50) { Layers = 10 };

        Assert.Equal(new ModelPlacement(1000, 0, 0), footprint.Place(null, gpuPresent: false, 0));
        Assert.Equal(new ModelPlacement(0, 1000, 1), footprint.Place(null, gpuPresent: true, 1));
        Assert.Equal(new ModelPlacement(600, 400, 0), footprint.Place(4, gpuPresent: true, 0));
        Assert.Equal(new ModelPlacement(1000, 0, 0), footprint.Place(0, gpuPresent: true, 0));
    }
}
