using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class InferenceSchedulerTests
{
    [Fact]
    public async Task AGenerationProducesTokensUntilMaxTokensAndReportsUsage()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine);

        var (text, finished) = await ReadAllAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 5)));

        Assert.Equal("defgh", text);
        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(3, finished.Usage.PromptTokens);
        Assert.Equal(5, finished.Usage.CompletionTokens);
        Assert.NotNull(finished.Usage.TimeToFirstToken);
    }

    [Fact]
    public async Task TheEndOfGenerationTokenFinishesWithStopAndIsNotCounted()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine);

        var (text, finished) = await ReadAllAsync(Admit(scheduler, Request(promptLength: 2, maxTokens: 50, firstToken: FakeEngine.EndToken - 4)));

        Assert.Equal(FinishReason.Stop, finished.Reason);
        Assert.Equal(2, finished.Usage.CompletionTokens);
        Assert.Equal(2, text.Length);
    }

    [Fact]
    public async Task AStopSequenceEndsGenerationAndIsNeverEmitted()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine);

        // Tokens 3, 4, 5, 6 render as d, e, f, g.
        var (text, finished) = await ReadAllAsync(Admit(scheduler, Request(promptLength: 3, maxTokens: 20, stop: "fg")));

        Assert.Equal("de", text);
        Assert.Equal(FinishReason.Stop, finished.Reason);
    }

    [Fact]
    public async Task AdmissionBeyondTheSequencesAndTheQueueIsRefusedAtOnceWithARetryHint()
    {
        var engine = new FakeEngine { StepGate = new SemaphoreSlim(0) };
        await using var scheduler = Create(engine, maxSequences: 2, queue: 1);
        var admitted = Enumerable.Range(0, 3).Select(_ => Admit(scheduler, Endless())).ToList();

        var refused = scheduler.TrySubmit(Request(), CancellationToken.None);

        var full = Assert.IsType<AdmissionResult.QueueFull>(refused);
        Assert.InRange(full.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await WaitUntilAsync(() =>
        {
            engine.StepGate.Release();
            return scheduler.Snapshot is { Active: 2, Waiting: 1 };
        });
        Assert.IsType<AdmissionResult.QueueFull>(scheduler.TrySubmit(Request(), CancellationToken.None));
        admitted.ForEach(s => s.Dispose());
        engine.StepGate.Release(1000);
    }

    [Fact]
    public async Task AWaitingRequestStartsAsSoonAsASequenceIsFree()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 1);
        var first = Admit(scheduler, Request(maxTokens: 3));
        var second = Admit(scheduler, Request(maxTokens: 3));

        var results = await Task.WhenAll(ReadAllAsync(first), ReadAllAsync(second));

        Assert.All(results, r => Assert.Equal(FinishReason.Length, r.Finished.Reason));
        Assert.True(results[1].Finished.Usage.QueueTime >= TimeSpan.Zero);
        Assert.Equal(0, engine.LiveSequences);
        Assert.True(scheduler.TrySubmit(Request(), CancellationToken.None) is AdmissionResult.Admitted);
    }

    [Fact]
    public async Task EveryRunningStreamGetsExactlyOneTokenInEveryStep()
    {
        // Steps are held until all three are admitted: on a loaded machine the loop could otherwise finish the
        // first stream before the others arrive. At worst the first step holds the first stream's prompt alone.
        var engine = new FakeEngine { StepGate = new SemaphoreSlim(0) };
        await using var scheduler = Create(engine, maxSequences: 3);
        var streams = Enumerable.Range(0, 3).Select(_ => Admit(scheduler, Request(promptLength: 1, maxTokens: 6))).ToList();

        engine.StepGate.Release(1000);
        await Task.WhenAll(streams.Select(ReadAllAsync));

        var generationSteps = engine.SnapshotBatches().Where(b => b.Count == 3 && b.All(e => e.Tokens == 1)).ToList();
        Assert.True(generationSteps.Count >= 4, $"expected steps decoding all three streams together, saw {generationSteps.Count}");
        Assert.All(generationSteps, b => Assert.Equal(3, b.Select(e => e.Sequence).Distinct().Count()));
    }

    [Fact]
    public async Task ALongPromptIsFedInChunksWhileRunningStreamsKeepDecoding()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 2, chunk: 16);
        var running = Admit(scheduler, Endless());
        await WaitUntilAsync(() => engine.SnapshotBatches().Count >= 2);

        var longPrompt = Admit(scheduler, Request(promptLength: 100, maxTokens: 1));
        await ReadAllAsync(longPrompt);
        running.Dispose();

        var batches = engine.SnapshotBatches();
        var chunkSteps = batches.Where(b => b.Any(e => e.Tokens > 1)).ToList();
        Assert.Equal(7, chunkSteps.Count); // 100 prompt tokens in chunks of at most 16
        Assert.All(chunkSteps, b => Assert.InRange(b.Max(e => e.Tokens), 1, 16));
        Assert.All(chunkSteps, b => Assert.Contains(b, e => e.Tokens == 1));
    }

    [Fact]
    public async Task CancellingAStreamFreesItsSequenceAtTheNextStep()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 0);
        var stream = Admit(scheduler, Endless());
        await WaitUntilAsync(() => engine.SnapshotBatches().Count > 3);

        stream.Dispose();
        var (_, finished) = await ReadAllAsync(stream);

        Assert.Equal(FinishReason.Cancelled, finished.Reason);
        await WaitUntilAsync(() => engine.LiveSequences == 0);
        Assert.True(scheduler.TrySubmit(Request(), CancellationToken.None) is AdmissionResult.Admitted);
    }

    [Fact]
    public async Task ThousandsOfCancellationsLeaveNoSequenceOrSlotBehind()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 4, queue: 4);
        for (var round = 0; round < 500; round++)
        {
            using var client = new CancellationTokenSource();
            var a = Admit(scheduler, Endless(), client.Token);
            var b = Admit(scheduler, Endless());
            await client.CancelAsync();
            b.Dispose();
            await ReadAllAsync(a);
            await ReadAllAsync(b);
        }

        await WaitUntilAsync(() => engine.LiveSequences == 0 && scheduler.Snapshot is { Active: 0, Waiting: 0 });
    }

    [Fact]
    public async Task ARequestPastItsWallClockLimitEndsWithTimeout()
    {
        var engine = new FakeEngine();
        var time = new FakeTimeProvider();
        await using var scheduler = Create(engine, time: time, timeout: TimeSpan.FromSeconds(10));
        var stream = Admit(scheduler, Endless());
        await WaitUntilAsync(() => engine.SnapshotBatches().Count > 2);

        time.Advance(TimeSpan.FromSeconds(11));
        var (_, finished) = await ReadAllAsync(stream);

        Assert.Equal(FinishReason.Timeout, finished.Reason);
        await WaitUntilAsync(() => engine.LiveSequences == 0);
    }

    [Fact]
    public async Task AFailedDecodeEndsTheBatchedStreamsWithAnErrorAndTheSchedulerKeepsServing()
    {
        var engine = new FakeEngine { FailNextDecode = true };
        await using var scheduler = Create(engine);

        var (_, failed) = await ReadAllAsync(Admit(scheduler, Request()));
        var (text, next) = await ReadAllAsync(Admit(scheduler, Request(maxTokens: 2)));

        Assert.Equal(FinishReason.Error, failed.Reason);
        Assert.Equal(FinishReason.Length, next.Reason);
        Assert.Equal("de", text);
        Assert.False(scheduler.Snapshot.Faulted);
    }

    [Fact]
    public async Task EmbeddingsRunOnTheSchedulerLoop()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine);

        var vector = await scheduler.TryEmbed([1, 2, 3], CancellationToken.None)!;

        Assert.Equal([3f, 0f], vector);
    }

    [Fact]
    public async Task DrainingRefusesNewWorkButLetsTheAdmittedGenerationFinishBeforeStopping()
    {
        var engine = new FakeEngine { StepGate = new SemaphoreSlim(0) };
        var scheduler = Create(engine);
        var inFlight = Admit(scheduler, Request(promptLength: 3, maxTokens: 5));

        var draining = scheduler.DrainAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => scheduler.TrySubmit(Request(), CancellationToken.None) is AdmissionResult.Unavailable);
        await Task.Delay(200);
        Assert.False(draining.IsCompleted);
        engine.StepGate.Release(100);
        var (text, finished) = await ReadAllAsync(inFlight);
        await draining.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal("defgh", text);
        Assert.True(scheduler.Completion.IsCompleted);
        Assert.Null(scheduler.TryEmbed([1, 2], CancellationToken.None));
    }
}
