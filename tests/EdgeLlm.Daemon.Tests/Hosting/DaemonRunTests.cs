using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Daemon.Tests.Hosting;

public sealed class DaemonRunTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger<DaemonRun> _logger = new();

    [Fact]
    public void AFatalErrorBeforeTheDaemonWasReadyIsLoggedAsAFailedStart()
    {
        var run = new DaemonRun(_time);
        _time.Advance(TimeSpan.FromSeconds(20));

        run.LogFatal(_logger, new InvalidOperationException("the model could not be loaded"));

        var (eventId, message) = Assert.Single(_logger.Entries);
        Assert.Equal(1003, eventId);
        Assert.Contains("failed to start", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFatalErrorAfterTheDaemonWasReadySaysItStoppedAfterRunningAndForHowLong()
    {
        var run = new DaemonRun(_time);
        run.MarkReady();
        _time.Advance(new TimeSpan(1, 2, 3) + TimeSpan.FromMilliseconds(400));

        run.LogFatal(_logger, new InvalidOperationException("database or disk is full"));

        var (eventId, message) = Assert.Single(_logger.Entries);
        Assert.Equal(1007, eventId);
        Assert.Contains("stopped after running for 01:02:03", message, StringComparison.Ordinal);
        Assert.DoesNotContain("failed to start", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonZeroExitBeforeReadyIsAFailedStartAndAfterReadyAStopAfterRunning()
    {
        var neverReady = new DaemonRun(_time);
        var wasReady = new DaemonRun(_time);
        wasReady.MarkReady();
        _time.Advance(TimeSpan.FromMinutes(5));

        neverReady.LogExit(_logger, 1);
        wasReady.LogExit(_logger, 1);

        Assert.Equal([1006, 1008], _logger.Entries.Select(e => e.EventId));
        Assert.Contains("failed to start", _logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("stopped after running for 00:05:00 with exit code 1", _logger.Entries[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACleanExitSaysSoWithTheUptime()
    {
        var run = new DaemonRun(_time);
        run.MarkReady();
        _time.Advance(TimeSpan.FromSeconds(42));

        run.LogExit(_logger, 0);

        var (eventId, message) = Assert.Single(_logger.Entries);
        Assert.Equal(1009, eventId);
        Assert.Contains("stopped cleanly after running for 00:00:42", message, StringComparison.Ordinal);
    }
}
