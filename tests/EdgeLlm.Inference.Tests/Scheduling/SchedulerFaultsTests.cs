using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class SchedulerFaultsTests
{
    [Fact]
    public void SchedulerSlowSlowsEachDecodeOfTheNamedLoadOnly()
    {
        var slow = new SchedulerFaults("scheduler-slow:2:150", loadOrdinal: 2);
        var other = new SchedulerFaults("scheduler-slow:2:150", loadOrdinal: 1);

        Assert.Equal(TimeSpan.FromMilliseconds(150), slow.DecodeDelay);
        Assert.False(slow.FailsEveryDecode);
        Assert.Equal(TimeSpan.Zero, other.DecodeDelay);
    }

    [Theory]
    [InlineData("scheduler-slow:2")]
    [InlineData("scheduler-slow:2:")]
    [InlineData("scheduler-slow:2:-5")]
    [InlineData("scheduler-slow:2:0")]
    [InlineData("scheduler-slow:2:ten")]
    [InlineData("scheduler-slow:2:10:3")]
    [InlineData("scheduler-slow::10")]
    [InlineData("scheduler-fail:2")]
    public void AMalformedOrOtherFaultPointSlowsNothing(string faultPoint) =>
        Assert.Equal(TimeSpan.Zero, new SchedulerFaults(faultPoint, loadOrdinal: 2).DecodeDelay);

    [Fact]
    public void SchedulerFailFailsTheNamedLoadOnly()
    {
        Assert.True(new SchedulerFaults("scheduler-fail:3", loadOrdinal: 3).FailsEveryDecode);
        Assert.False(new SchedulerFaults("scheduler-fail:3", loadOrdinal: 13).FailsEveryDecode);
    }

    [Fact]
    public void FailAfterCheckLetsTheNamedLoadsHealthCheckThroughThenFailsEveryDecode()
    {
        var faults = new SchedulerFaults("scheduler-fail-after-check:2", loadOrdinal: 2);
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        Assert.False(faults.FailsDecode(0, logger, CancellationToken.None));
        Assert.True(faults.FailsDecode(1, logger, CancellationToken.None));
        Assert.False(new SchedulerFaults("scheduler-fail-after-check:2", loadOrdinal: 1).FailsDecode(5, logger, CancellationToken.None));
    }

    [Fact]
    public void ASlowDecodeSleepsItsDelayBeforeTheStep()
    {
        var slow = new SchedulerFaults("scheduler-slow:1:120", loadOrdinal: 1);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var fails = slow.FailsDecode(0, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

        Assert.False(fails);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(110), watch.Elapsed.ToString());
    }
}
