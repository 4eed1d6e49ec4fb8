using EdgeLlm.Benchmarks.Reuse;
using Xunit;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The reuse benchmark's pure parts: reading its counters from /metrics, its lookup estimate, its command line.</summary>
public sealed class ReuseBenchmarkTests
{
    private const string Scrape = """
        # TYPE edgellm_inference_speculation_proposed_tokens counter
        edgellm_inference_speculation_proposed_tokens_total{model="on",otel_scope_name="EdgeLlm.Inference"} 40 1733250000000
        edgellm_inference_speculation_proposed_tokens_total{model="off",otel_scope_name="EdgeLlm.Inference"} 7 1733250000000
        edgellm_inference_speculation_proposed_tokens_total{model="on",reason="other"} 2
        edgellm_inference_speculation_accepted_tokens_total{model="off"} 5
        edgellm_inference_generated_tokens_total{model="on"} 900
        """;

    [Fact]
    public void CountersSumTheModelsSamplesReadZeroWhenOnlyAnotherModelHasOneAndNullWhenNotExported()
    {
        var samples = ReuseCounters.Samples(Scrape, "on");

        Assert.Equal(42, samples[ReuseCounters.ProposedName]);
        Assert.Equal(0, samples[ReuseCounters.AcceptedName]);
        Assert.False(samples.ContainsKey(ReuseCounters.HitTokensName));
    }

    [Fact]
    public void ADeltaOfACounterFirstExportedMeanwhileStartsAtZeroAndOneNeverExportedStaysUnknown()
    {
        var delta = new ReuseCounters(null, 50, 30).Since(new ReuseCounters(null, null, 10));

        Assert.Equal(new ReuseCounters(null, 50, 20), delta);
    }

    [Fact]
    public void TheLookupEstimateCountsOnlyTokensTheMostRecentEarlierNgramWouldHaveProposed()
    {
        // Prompt 5 6 7 8 9 10; answer 7 8 9 10 11: the first two have no earlier bigram before them, 9 and 10 follow
        // "7 8" and "7 8 9" as in the prompt, and 11 follows "7 8 9 10", whose earlier occurrence went on with 7.
        int[] tokens = [5, 6, 7, 8, 9, 10, 7, 8, 9, 10, 11];

        Assert.Equal(2, GroundedWorkload.LookupGuesses(tokens, 6));
    }

    [Fact]
    public void TheLookupEstimatePrefersTheMostRecentOccurrence()
    {
        // "1 2" went on with 3, later with 4: the later one is proposed, so the final 4 is guessed and a 3 would not be.
        Assert.Equal(1, GroundedWorkload.LookupGuesses([1, 2, 3, 1, 2, 4, 1, 2, 4], 8));
        Assert.Equal(0, GroundedWorkload.LookupGuesses([1, 2, 3, 1, 2, 4, 1, 2, 3], 8));
    }

    [Theory]
    [InlineData("--only", "e")]
    [InlineData("--system-tokens", "2241")]
    [InlineData("--rounds", "0")]
    [InlineData("--colour", "1")]
    public void TheCommandLineRefusesWhatItCannotRun(string name, string value) =>
        Assert.Throws<ArgumentException>(() => ReuseSettings.Parse([name, value]));

    [Fact]
    public void TheCommandLineTakesOneMeasureInEitherCaseAndTheLongestSystemPromptThatFits()
    {
        var settings = ReuseSettings.Parse(["--only", "b", "--system-tokens", "2240"]);

        Assert.Equal(('B', 2240), (settings.Only, settings.SystemTokens));
        Assert.True(settings.Runs('B'));
        Assert.False(settings.Runs('A'));
    }
}
