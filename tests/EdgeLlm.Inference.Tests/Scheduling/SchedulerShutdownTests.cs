using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class SchedulerShutdownTests
{
    [Fact]
    public async Task EndingForShutdownEndsTheRunningAndTheWaitingGenerationsWithTheShutdownReasonAndFreesTheirSequences()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 2);
        var running = Admit(scheduler, Request(promptLength: 1, maxTokens: int.MaxValue, firstToken: FakeEngine.EndToken + 1));
        var waiting = Admit(scheduler, Request(promptLength: 1, maxTokens: int.MaxValue, firstToken: FakeEngine.EndToken + 1));
        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 1, Waiting: 1 });

        scheduler.EndForShutdown();
        var (_, first) = await ReadAllAsync(running);
        var (_, second) = await ReadAllAsync(waiting);

        Assert.Equal(FinishReason.Shutdown, first.Reason);
        Assert.Equal(FinishReason.Shutdown, second.Reason);
        await WaitUntilAsync(() => engine.LiveSequences == 0);
    }
}
