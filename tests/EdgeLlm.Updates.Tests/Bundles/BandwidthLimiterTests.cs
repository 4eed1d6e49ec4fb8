using EdgeLlm.Updates.Bundles;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Bundles;

public sealed class BandwidthLimiterTests
{
    [Fact]
    public async Task ATransferAheadOfTheCapWaitsUntilTheAverageRateIsBackUnderIt()
    {
        var clock = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(1000, clock);

        var wait = limiter.WaitAsync(500, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(400));
        var stillWaiting = !wait.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await wait;

        Assert.True(stillWaiting, "500 bytes at 1000 B/s may not finish before 0.5 s");
    }

    [Fact]
    public async Task ATransferBehindTheCapDoesNotWait()
    {
        var clock = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(1000, clock);
        clock.Advance(TimeSpan.FromSeconds(2));

        var wait = limiter.WaitAsync(1500, CancellationToken.None);

        Assert.True(wait.IsCompleted);
        await wait;
    }

    [Fact]
    public void NoCapNeverWaits()
    {
        Assert.True(new BandwidthLimiter(0, new FakeTimeProvider()).WaitAsync(int.MaxValue, CancellationToken.None).IsCompleted);
    }
}
