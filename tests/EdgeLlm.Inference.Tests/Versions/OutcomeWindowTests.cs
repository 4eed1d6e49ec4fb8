using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Versions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Inference.Tests.Versions;

/// <summary>The figures a rollout compares, from synthetic outcomes.</summary>
public sealed class OutcomeWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AWindowCountsRequestsAndFailuresAndTakesTheNearestRankP95AndTheMedianRate()
    {
        // 1..100 ms to first token, rates 1..100 tokens/s; every tenth failed.
        var outcomes = Enumerable.Range(1, 100)
            .Select(i => new GenerationOutcome(Start.AddSeconds(i), i % 10 == 0, TimeSpan.FromMilliseconds(i), i))
            .ToList();

        var window = OutcomeWindow.Of(outcomes);

        Assert.Equal(new VersionWindow(100, 10, 95.0, 50.5, 0), window);
    }

    [Fact]
    public void AnOddCountHasItsMiddleRateAsMedianAndOutcomesWithoutFiguresOnlyCount()
    {
        GenerationOutcome[] outcomes =
        [
            new(Start, false, TimeSpan.FromMilliseconds(40), 30),
            new(Start, false, TimeSpan.FromMilliseconds(10), 10),
            new(Start, false, TimeSpan.FromMilliseconds(20), 20),
            new(Start, true, null, null),
        ];

        var window = OutcomeWindow.Of(outcomes);

        Assert.Equal((4, 1), (window.Requests, window.Errors));
        Assert.Equal(40.0, window.TimeToFirstTokenP95Ms);
        Assert.Equal(20.0, window.TokensPerSecond);
    }

    [Fact]
    public void ABlockedAnswerCutShortIsARequestAndAMarkOnARecordedOneIsNot()
    {
        GenerationOutcome[] outcomes =
        [
            new(Start, false, TimeSpan.FromMilliseconds(10), 10),
            new(Start, false, TimeSpan.FromMilliseconds(20), 20),
            new(Start, false, null, null, Blocked: true, MarksRecorded: true),
            new(Start, false, null, null, Blocked: true),
        ];

        var window = OutcomeWindow.Of(outcomes);

        Assert.Equal(new VersionWindow(3, 0, 20.0, 15.0, 2), window);
    }

    [Fact]
    public void ABlockedEntryIsStampedByTheSchedulersClock()
    {
        var clock = new FakeTimeProvider(Start);
        var ring = new GenerationOutcomes(time: clock);

        ring.AddBlocked(generationRecorded: false);
        clock.Advance(TimeSpan.FromSeconds(5));
        ring.AddBlocked(generationRecorded: true);

        Assert.Equal([(Start, false), (Start.AddSeconds(5), true)], ring.Between(Start, Start.AddMinutes(1)).Select(o => (o.EndedAt, o.MarksRecorded)));
        Assert.All(ring.Between(Start, Start.AddMinutes(1)), o => Assert.True(o.Blocked));
    }

    [Fact]
    public void AnEmptyWindowHasNoFigures() =>
        Assert.Equal(new VersionWindow(0, 0, null, null, 0), OutcomeWindow.Of([]));
}
