using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

/// <summary>What a scheduler remembers of its finished generations, for comparing a model's versions.</summary>
public sealed class GenerationOutcomesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheRingKeepsTheLatestOutcomesOnlyAndReadsAHalfOpenWindow()
    {
        var ring = new GenerationOutcomes(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            ring.Add(new GenerationOutcome(Start.AddSeconds(i), Failed: false, null, null));
        }

        Assert.Equal([2, 3, 4], ring.Between(Start, Start.AddHours(1)).Select(o => (int)(o.EndedAt - Start).TotalSeconds));
        Assert.Equal([2, 3], ring.Between(Start.AddSeconds(2), Start.AddSeconds(4)).Select(o => (int)(o.EndedAt - Start).TotalSeconds));
    }

    [Theory]
    [InlineData(FinishReason.Stop, false)]
    [InlineData(FinishReason.Length, false)]
    [InlineData(FinishReason.Error, true)]
    [InlineData(FinishReason.Timeout, true)]
    public void AnEndingThatSaysSomethingAboutTheModelIsAnOutcome(FinishReason reason, bool failed) =>
        Assert.Equal(failed, GenerationOutcome.Of(reason, Start.AddSeconds(3), Start, TimeSpan.FromSeconds(1), 5)!.Value.Failed);

    [Theory]
    [InlineData(FinishReason.Cancelled)]
    [InlineData(FinishReason.ClientStalled)]
    [InlineData(FinishReason.Shutdown)]
    public void TheClientGoingAwayOrTheDaemonStoppingIsNoOutcome(FinishReason reason) =>
        Assert.Null(GenerationOutcome.Of(reason, Start.AddSeconds(3), Start, TimeSpan.FromSeconds(1), 5));

    [Fact]
    public void TheDecodeRateCountsTheTokensAfterTheFirstOverTheTimeSinceIt()
    {
        var outcome = GenerationOutcome.Of(FinishReason.Length, Start.AddSeconds(3), Start, TimeSpan.FromSeconds(1), 21)!.Value;

        Assert.Equal(TimeSpan.FromSeconds(1), outcome.TimeToFirstToken);
        Assert.Equal(10.0, outcome.TokensPerSecond);
        Assert.Null(GenerationOutcome.Of(FinishReason.Length, Start.AddSeconds(3), Start, TimeSpan.FromSeconds(1), 1)!.Value.TokensPerSecond);
        Assert.Null(GenerationOutcome.Of(FinishReason.Error, Start.AddSeconds(3), Start, null, 0)!.Value.TimeToFirstToken);
    }

    [Fact]
    public async Task TheSchedulerRecordsAFinishedGenerationAndAFailedDecodeButNotACancelledRequest()
    {
        var engine = new FakeEngine();
        var time = new FakeTimeProvider(Start);
        await using var scheduler = Create(engine, time: time);

        await ReadAllAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 5)));
        engine.FailNextDecode = true;
        await ReadAllAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 5)));
        using var cancel = new CancellationTokenSource();
        var cancelled = Admit(scheduler, Endless(), cancel.Token);
        await cancel.CancelAsync();
        await ReadAllAsync(cancelled);

        var outcomes = scheduler.Outcomes.Between(Start, Start.AddMinutes(1));
        Assert.Equal([false, true], outcomes.Select(o => o.Failed));
        Assert.NotNull(outcomes[0].TimeToFirstToken);
    }
}
