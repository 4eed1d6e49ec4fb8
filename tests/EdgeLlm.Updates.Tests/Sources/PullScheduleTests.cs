using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Sources;

namespace EdgeLlm.Updates.Tests.Sources;

public sealed class PullScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    [Fact]
    public void AfterAGoodCheckTheNextComesAfterTheInterval()
    {
        var schedule = Schedule();

        Assert.Equal(Interval, schedule.Next(failed: false, untilFeedChange: null));
    }

    [Fact]
    public void FailuresInARowBackOffFromTheRetryDelayUpToTheIntervalAndAGoodCheckStartsOver()
    {
        var schedule = Schedule();

        var waits = Enumerable.Range(0, 10).Select(_ => schedule.Next(failed: true, untilFeedChange: null)).ToList();
        var afterRecovery = schedule.Next(failed: false, untilFeedChange: null);
        var firstAgain = schedule.Next(failed: true, untilFeedChange: null);

        Assert.InRange(waits[0], RetryDelay / 2, RetryDelay);
        Assert.InRange(waits[3], RetryDelay * 4, RetryDelay * 8);
        Assert.All(waits, w => Assert.True(w <= Interval));
        Assert.InRange(waits[^1], Interval / 2, Interval);
        Assert.Equal(Interval, afterRecovery);
        Assert.InRange(firstAgain, RetryDelay / 2, RetryDelay);
    }

    [Fact]
    public void TheFeedGoingStaleSoonerBringsTheNextCheckForward()
    {
        var schedule = Schedule();

        Assert.Equal(TimeSpan.FromMinutes(7), schedule.Next(failed: false, untilFeedChange: TimeSpan.FromMinutes(7)));
        Assert.Equal(Interval, schedule.Next(failed: false, untilFeedChange: TimeSpan.FromDays(2)));
    }

    private static PullSchedule Schedule() => new(Interval, new RetryBackoff(RetryDelay, Interval, TimeProvider.System, new Random(5)));
}
