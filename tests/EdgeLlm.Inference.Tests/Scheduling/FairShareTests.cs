using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Inference.Tests.Support;
using static EdgeLlm.Inference.Tests.Support.SchedulerFixture;

namespace EdgeLlm.Inference.Tests.Scheduling;

public sealed class FairShareTests
{
    [Fact]
    public async Task AKeyAloneGetsEverySequence()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 3, queue: 3);

        var streams = Enumerable.Range(0, 5).Select(_ => Admit(scheduler, Endless(Key("a")))).ToList();

        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 3, Waiting: 2 } && engine.LiveSequences == 3);
        streams.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task AnotherKeysRequestTakesTheFirstSequenceThatFreesAheadOfTheFloodAndOneStaysFreeForIt()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 2, queue: 10);
        var flood = Enumerable.Range(0, 6).Select(_ => Admit(scheduler, Endless(Key("a")))).ToList();
        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 2, Waiting: 4 });

        var other = Admit(scheduler, Request(maxTokens: 3) with { Owner = Key("b") });
        await WaitForTheLoopToTakeInAsync(engine);
        flood[0].Dispose();
        var (text, finished) = await ReadAllAsync(other);

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal("def", text);
        // The flood's four other requests still wait: while key b is about, key a keeps to one sequence fewer.
        await WaitUntilAsync(() => engine.LiveSequences == 1 && scheduler.Snapshot is { Active: 1, Waiting: 4 });
        await WaitForTheLoopToTakeInAsync(engine);
        Assert.Equal(1, engine.LiveSequences);
        var next = Admit(scheduler, Request(maxTokens: 2) with { Owner = Key("b") });
        Assert.Equal(FinishReason.Length, (await ReadAllAsync(next)).Finished.Reason);
        flood.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task FreedSequencesGoToTheWaitingKeysInTurnWhateverOrderTheirRequestsCameIn()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 10);
        var holder = Admit(scheduler, Endless(Key("a")));
        await WaitUntilAsync(() => scheduler.Snapshot.Active == 1);
        // Key a's prompts are 2 tokens, key b's 4, so each prompt step in the engine's log says whose request started.
        var fromA = Enumerable.Range(0, 3).Select(_ => Admit(scheduler, Request(promptLength: 2, maxTokens: 1) with { Owner = Key("a") })).ToList();
        var fromB = Enumerable.Range(0, 2).Select(_ => Admit(scheduler, Request(promptLength: 4, maxTokens: 1) with { Owner = Key("b") })).ToList();
        await WaitForTheLoopToTakeInAsync(engine);

        holder.Dispose();
        var ends = await Task.WhenAll(fromA.Concat(fromB).Select(ReadAllAsync));

        Assert.All(ends, e => Assert.Equal(FinishReason.Length, e.Finished.Reason));
        var order = engine.SnapshotBatches().Where(b => b.Count == 1 && b[0].Tokens > 1).Select(b => b[0].Tokens == 2 ? 'a' : 'b');
        Assert.Equal("babaa", string.Concat(order));
    }

    [Fact]
    public async Task AConfiguredShareHoldsAKeyToItsSequencesEvenWhenAlone()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 3, queue: 4, sequencesPerKey: 2);

        var streams = Enumerable.Range(0, 4).Select(_ => Admit(scheduler, Endless(Key("a")))).ToList();

        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 2, Waiting: 2 } && engine.LiveSequences == 2);
        await WaitForTheLoopToTakeInAsync(engine);
        Assert.Equal(2, engine.LiveSequences);
        streams.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task ATenantsKeysTogetherKeepToOneShare()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 3, queue: 4, sequencesPerKey: 1);

        var first = Admit(scheduler, Endless(Key("a1", "acme")));
        var second = Admit(scheduler, Endless(Key("a2", "acme")));
        var other = Admit(scheduler, Endless(Key("b", "globex")));

        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 2, Waiting: 1 } && engine.LiveSequences == 2);
        first.Dispose();
        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 2, Waiting: 0 });
        second.Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task AKeyOverItsQueuedShareIsRefusedAsItsOwnShareWhileAnotherKeyIsStillAdmitted()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 10, queuedPerKey: 1);
        var admitted = new[] { Admit(scheduler, Endless(Key("a"))), Admit(scheduler, Endless(Key("a"))) };

        var refused = scheduler.TrySubmit(Endless(Key("a")), CancellationToken.None);
        var other = scheduler.TrySubmit(Endless(Key("b")), CancellationToken.None);

        var full = Assert.IsType<AdmissionResult.QueueFull>(refused);
        Assert.True(full.OwnShare);
        Assert.InRange(full.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var admittedOther = Assert.IsType<AdmissionResult.Admitted>(other);
        admittedOther.Stream.Dispose();
        admitted[0].Dispose();
        admitted[1].Dispose();
    }

    [Fact]
    public async Task AKeyWithNothingAdmittedGetsAPlaceWhenOtherKeysFilledTheQueue()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 1, queue: 2, queuedPerKey: 1);
        var fromA = new[] { Admit(scheduler, Endless(Key("a"))), Admit(scheduler, Endless(Key("a"))) };
        var fromB = Admit(scheduler, Endless(Key("b")));

        var secondFromB = scheduler.TrySubmit(Endless(Key("b")), CancellationToken.None);
        var fromC = scheduler.TrySubmit(Request(maxTokens: 2) with { Owner = Key("c") }, CancellationToken.None);

        var full = Assert.IsType<AdmissionResult.QueueFull>(secondFromB);
        Assert.False(full.OwnShare);
        var admittedC = Assert.IsType<AdmissionResult.Admitted>(fromC);
        fromB.Dispose();
        fromA[0].Dispose();
        fromA[1].Dispose();
        Assert.Equal(FinishReason.Length, (await ReadAllAsync(admittedC.Stream)).Finished.Reason);
    }

    [Fact]
    public async Task ByDefaultAKeyAloneTakesEveryPlaceAndWhileAnotherKeyIsPresentEachHoldsAnEqualPart()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 2, queue: 6);
        var fromA = Enumerable.Range(0, 8).Select(_ => scheduler.TrySubmit(Endless(Key("a")), CancellationToken.None)).ToList();
        Assert.All(fromA, a => Assert.IsType<AdmissionResult.Admitted>(a));
        var fromB = Admit(scheduler, Endless(Key("b")));
        foreach (var admitted in fromA.Take(5))
        {
            ((AdmissionResult.Admitted)admitted).Stream.Dispose();
        }

        await WaitUntilAsync(() => scheduler.Snapshot is { Active: 2, Waiting: 2 });

        // Key a holds 3 places; with key b present its part is 8 / 2 = 4: one more, then refused as its own share,
        // which leaves key b the places its next requests need.
        var oneMore = scheduler.TrySubmit(Endless(Key("a")), CancellationToken.None);
        var overItsPart = scheduler.TrySubmit(Endless(Key("a")), CancellationToken.None);
        var secondFromB = scheduler.TrySubmit(Endless(Key("b")), CancellationToken.None);

        Assert.IsType<AdmissionResult.Admitted>(oneMore);
        Assert.True(Assert.IsType<AdmissionResult.QueueFull>(overItsPart).OwnShare);
        Assert.IsType<AdmissionResult.Admitted>(secondFromB);
        foreach (var admitted in fromA.Skip(5).Append(oneMore).Append(secondFromB))
        {
            ((AdmissionResult.Admitted)admitted).Stream.Dispose();
        }

        fromB.Dispose();
    }

    [Fact]
    public async Task WhileAnotherKeyRunsAKeyOverItsPartOfTheSequencesIsDecodedOnlyInEveryFewSteps()
    {
        var engine = new FakeEngine();
        await using var scheduler = Create(engine, maxSequences: 4, queue: 4);
        var flood = Enumerable.Range(0, 3).Select(_ => Admit(scheduler, Endless(Key("a")))).ToList();
        await WaitUntilAsync(() => engine.LiveSequences == 3);

        var (text, finished) = await ReadAllAsync(Admit(scheduler, Request(promptLength: 1, maxTokens: 12) with { Owner = Key("b") }));
        await WaitUntilAsync(() => engine.SnapshotBatches().Count(b => b.Any(s => s.Sequence == 3)) < engine.SnapshotBatches().Count - 8);

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(12, text.Length);
        var batches = engine.SnapshotBatches().ToList();
        var withB = batches.Where(b => b.Any(s => s.Sequence == 3)).ToList();
        var floodBesideB = withB.Count(b => b.Any(s => s.Sequence < 3));
        // Key a holds 3 of 4 sequences, over its even part of 2: it sits out all steps but every fourth while b runs,
        // yet still advances; once b is done it is decoded in every step again.
        Assert.InRange(floodBesideB, 1, withB.Count / BatchPlanner.HeldKeyEvery + 1);
        Assert.All(batches.Skip(batches.IndexOf(withB[^1]) + 1), b => Assert.Equal(3, b.Count));
        flood.ForEach(f => f.Dispose());
    }
}
