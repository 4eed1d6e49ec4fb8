using EdgeLlm.Telemetry.Mqtt;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Telemetry.Tests.Mqtt;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void DelaysDoubleWithJitterUpToTheMaximumAndStartOverAfterAReset()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(42));

        var delays = Enumerable.Range(0, 12).Select(_ => backoff.NextDelay().TotalSeconds).ToList();

        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = Math.Min(30, Math.Pow(2, i));
            Assert.InRange(delays[i], ceiling / 2, ceiling);
        }

        Assert.True(delays.Skip(5).Distinct().Count() > 1, "jitter spreads the capped delays");
        backoff.Reset();
        Assert.InRange(backoff.NextDelay().TotalSeconds, 0.5, 1);
    }

    [Fact]
    public void TheDrainWaitsOnlyAsLongAsItsByteBudgetNeeds()
    {
        var time = new FakeTimeProvider();
        var limiter = new DrainRateLimiter(bytesPerSecond: 1000, time);

        Assert.Equal(TimeSpan.FromSeconds(2), limiter.Sent(2000));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(0.5), limiter.Sent(500));
        Assert.Equal(TimeSpan.Zero, new DrainRateLimiter(bytesPerSecond: 0, time).Sent(1_000_000));
    }
}
