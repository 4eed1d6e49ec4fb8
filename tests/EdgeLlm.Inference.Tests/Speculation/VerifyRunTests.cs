using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

public sealed class VerifyRunTests
{
    [Fact]
    public void TheLongestAgreeingPrefixIsAcceptedAndTheFirstDisagreementIsDeliveredAsTheCorrection()
    {
        var target = new ScriptedTarget([5, 6, 9, 8]);

        var outcome = VerifyRun.Run([5, 6, 7, 8], target.SampleAndDeliver);

        Assert.Equal(new VerifyOutcome(Proposed: 4, Accepted: 2, LastToken: 9, JobContinues: true), outcome);
        Assert.Equal([5, 6, 9], target.Delivered);
        Assert.Equal(2, outcome.Rejected);
        Assert.Equal(3, outcome.Sampled);
    }

    [Fact]
    public void WhenEveryDraftIsAcceptedTheTokenAfterTheLastIsDeliveredToo()
    {
        var target = new ScriptedTarget([5, 6, 7]);

        var outcome = VerifyRun.Run([5, 6], target.SampleAndDeliver);

        Assert.Equal(new VerifyOutcome(2, 2, 7, true), outcome);
        Assert.Equal([5, 6, 7], target.Delivered);
        Assert.Equal(0, outcome.Rejected);
    }

    [Fact]
    public void AJobThatEndsInsideTheRunStopsItAndKeepsNoCellBeyondItsLastToken()
    {
        // The job ends on its second token (say a stop sequence), which also equals the second draft: that draft's
        // cell is not kept, as without speculation the last token of an answer is never decoded.
        var target = new ScriptedTarget([5, 6, 7], endsAfter: 2);

        var outcome = VerifyRun.Run([5, 6, 7], target.SampleAndDeliver);

        Assert.Equal(new VerifyOutcome(3, 1, 6, JobContinues: false), outcome);
        Assert.Equal([5, 6], target.Delivered);
        Assert.Equal(2, outcome.Rejected);
    }

    [Fact]
    public void AJobThatEndsOnItsFirstTokenAcceptsNothing()
    {
        var target = new ScriptedTarget([5], endsAfter: 1);

        var outcome = VerifyRun.Run([5, 6], target.SampleAndDeliver);

        Assert.Equal(new VerifyOutcome(2, 0, 5, false), outcome);
        Assert.Equal(2, outcome.Rejected);
    }

    [Fact]
    public void WithoutDraftsItIsOnePlainSample()
    {
        var target = new ScriptedTarget([42, 43]);

        var outcome = VerifyRun.Run([], target.SampleAndDeliver);

        Assert.Equal(new VerifyOutcome(0, 0, 42, true), outcome);
        Assert.Equal([42], target.Delivered);
    }

    [Fact]
    public void CountersAddUpEveryVerify()
    {
        var counters = new SpeculationCounters();

        counters.Record(new VerifyOutcome(4, 2, 9, true));
        counters.Record(new VerifyOutcome(3, 0, 1, false));

        Assert.Equal(7, counters.ProposedTokens);
        Assert.Equal(2, counters.AcceptedTokens);
        Assert.Equal(2, counters.Verifies);
    }

    /// <summary>Samples a fixed script, one token per call, and records what was delivered.</summary>
    private sealed class ScriptedTarget(int[] script, int endsAfter = int.MaxValue)
    {
        public List<int> Delivered { get; } = [];

        public DeliveredToken SampleAndDeliver()
        {
            var token = script[Delivered.Count];
            Delivered.Add(token);
            return new DeliveredToken(token, JobContinues: Delivered.Count < endsAfter);
        }
    }
}
