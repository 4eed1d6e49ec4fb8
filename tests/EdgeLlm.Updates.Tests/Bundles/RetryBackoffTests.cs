using EdgeLlm.Updates.Bundles;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Bundles;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    [Fact]
    public void EachRetryWaitsBetweenHalfAndAllOfADoublingDelayCappedAtTheMaximum()
    {
        var backoff = new RetryBackoff(First, Max, TimeProvider.System, new Random(1));

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var full = TimeSpan.FromTicks(Math.Min(First.Ticks << (attempt - 1), Max.Ticks));
            var delay = backoff.Delay(attempt);
            Assert.InRange(delay, full / 2, full);
        }
    }

    [Fact]
    public void TwoDevicesRetryingTheSameAttemptDoNotWaitInLockstep()
    {
        var one = new RetryBackoff(First, Max, TimeProvider.System, new Random(1));
        var other = new RetryBackoff(First, Max, TimeProvider.System, new Random(2));

        var waits = Enumerable.Range(1, 5).Select(a => (one.Delay(a), other.Delay(a))).ToList();

        Assert.Contains(waits, w => w.Item1 != w.Item2);
    }

    [Fact]
    public async Task AWaitEndsOnlyWhenTheInjectedClockHasMovedPastIt()
    {
        var time = new FakeTimeProvider();
        var backoff = new RetryBackoff(First, Max, time, new Random(3));
        var delay = backoff.Delay(1);
        var waiting = new RetryBackoff(First, Max, time, new Random(3)).WaitAsync(1, CancellationToken.None);

        time.Advance(delay - TimeSpan.FromMilliseconds(1));
        var early = waiting.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting;

        Assert.False(early);
    }
}
