using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class StalledReaderTests
{
    private static readonly TimeSpan ReaderTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AGenerationWhoseTextIsNotTakenForTheTimeoutEndsAsClientStalledAndFreesItsSequence()
    {
        var engine = new FakeEngine();
        var time = new FakeTimeProvider();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 0, time: time);
        var stream = Admit(scheduler, Endless(Key("a")) with { StalledReaderTimeout = ReaderTimeout });
        await WaitUntilAsync(() => engine.SnapshotBatches().Count > 3);

        time.Advance(ReaderTimeout);
        await WaitUntilAsync(() => engine.LiveSequences == 0);
        var (_, finished) = await ReadAllAsync(stream);

        Assert.Equal(FinishReason.ClientStalled, finished.Reason);
        Assert.True(await stream.Stalled);
        Assert.IsType<AdmissionResult.Admitted>(scheduler.TrySubmit(Request(), CancellationToken.None));
    }

    [Fact]
    public async Task AReaderThatKeepsTakingTheTextIsNotCutOffHoweverLongTheGenerationRuns()
    {
        var engine = new FakeEngine { StepGate = new SemaphoreSlim(0) };
        var time = new FakeTimeProvider();
        await using var scheduler = Create(engine, time: time, timeout: TimeSpan.FromHours(1));
        var stream = Admit(scheduler, Request(promptLength: 1, maxTokens: 12) with { StalledReaderTimeout = ReaderTimeout });

        // Each step's token is taken before the clock moves on by most of the timeout: 12 steps span 90 s.
        var text = "";
        var finished = (GenerationFinished?)null;
        await using var events = stream.ReadAllAsync().GetAsyncEnumerator();
        while (finished is null)
        {
            engine.StepGate.Release();
            Assert.True(await events.MoveNextAsync());
            text += (events.Current as TextDelta)?.Text;
            finished = events.Current as GenerationFinished;
            time.Advance(TimeSpan.FromSeconds(7.5));
        }

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(12, text.Length);
        Assert.False(await stream.Stalled);
    }

    [Fact]
    public async Task AStalledReaderIsJudgedByTheOldestTextItHasNotTakenNotByTheNewest()
    {
        var engine = new FakeEngine { StepGate = new SemaphoreSlim(0) };
        var time = new FakeTimeProvider();
        await using var scheduler = Create(engine, time: time);
        var stream = Admit(scheduler, Endless(Key("a")) with { StalledReaderTimeout = ReaderTimeout });

        // A token every 6 s, none taken: the newest text is always fresh, the oldest is past the timeout at the third step.
        for (var step = 0; step < 3; step++)
        {
            engine.StepGate.Release();
            await WaitUntilAsync(() => engine.SnapshotBatches().Count == step + 1);
            time.Advance(TimeSpan.FromSeconds(6));
        }

        engine.StepGate.Release(1000);
        var (text, finished) = await ReadAllAsync(stream);

        Assert.Equal(FinishReason.ClientStalled, finished.Reason);
        Assert.InRange(text.Length, 2, 4);
    }

    [Fact]
    public async Task WithoutAReaderTimeoutTextLeftUntakenNeverEndsTheGeneration()
    {
        var engine = new FakeEngine();
        var time = new FakeTimeProvider();
        await using var scheduler = Create(engine, time: time, timeout: TimeSpan.FromDays(1));
        var stream = Admit(scheduler, Request(promptLength: 1, maxTokens: 40));
        await WaitUntilAsync(() => engine.SnapshotBatches().Count > 3);

        time.Advance(TimeSpan.FromHours(1));
        var (text, finished) = await ReadAllAsync(stream);

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(40, text.Length);
    }
}
