using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Rollouts;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>One window judged against the thresholds.</summary>
public sealed class RolloutAnalysisTests
{
    private readonly UpdatesOptions _thresholds = new() { RolloutMinSamples = 20 };

    [Fact]
    public void TwoHealthyWindowsPass()
    {
        var figures = Judge(Window(100), Window(40));

        Assert.Equal(RolloutAnalysis.Passed, figures.Verdict);
        Assert.Empty(figures.Reasons);
    }

    [Fact]
    public void FewerRequestsThanTheMinimumInEitherWindowIsInconclusive()
    {
        Assert.Equal(RolloutAnalysis.Inconclusive, Judge(Window(100), Window(19)).Verdict);
        Assert.Equal(RolloutAnalysis.Inconclusive, Judge(Window(19), Window(100)).Verdict);
    }

    [Fact]
    public void AnErrorRateAboveTheActiveOnesByMoreThanTheThresholdFails()
    {
        Assert.Equal(["error_rate"], Judge(Window(100, errors: 1), Window(100, errors: 4)).Reasons);
        Assert.Equal(RolloutAnalysis.Passed, Judge(Window(100, errors: 1), Window(100, errors: 3)).Verdict);
    }

    [Fact]
    public void ASlowerFirstTokenOrSlowerGenerationFailsItsOwnCheck()
    {
        Assert.Equal(["time_to_first_token"], Judge(Window(100), Window(100, ttft: 151)).Reasons);
        Assert.Equal(["tokens_per_second"], Judge(Window(100), Window(100, speed: 34)).Reasons);
        Assert.Equal(RolloutAnalysis.Passed, Judge(Window(100), Window(100, ttft: 149, speed: 36)).Verdict);
    }

    [Fact]
    public void MoreBlockedAnswersThanTheThresholdFails()
    {
        Assert.Equal(["blocked_share"], Judge(Window(100), Window(100) with { Blocked = 3 }).Reasons);
    }

    [Fact]
    public void AtOneHundredPercentTheCandidateIsHeldToTheLastActiveWindowWithEnoughRequests()
    {
        var baseline = new WindowFigures { Requests = 80, ErrorRate = 0, TimeToFirstTokenP95Ms = 100, TokensPerSecond = 50 };

        var healthy = RolloutAnalysis.Judge(Window(0), Window(100), baseline, 100, _thresholds);
        var slow = RolloutAnalysis.Judge(Window(0), Window(100, ttft: 400), baseline, 100, _thresholds);
        var belowFull = RolloutAnalysis.Judge(Window(0), Window(100), baseline, 50, _thresholds);

        Assert.Equal((RolloutAnalysis.Passed, true), (healthy.Verdict, healthy.AgainstBaseline));
        Assert.Equal(["time_to_first_token"], slow.Reasons);
        Assert.Equal(RolloutAnalysis.Inconclusive, belowFull.Verdict);
    }

    private RolloutFigures Judge(VersionWindow active, VersionWindow candidate) => RolloutAnalysis.Judge(active, candidate, null, 25, _thresholds);

    private static VersionWindow Window(int requests, int errors = 0, double ttft = 100, double speed = 50) =>
        new(requests, errors, requests > 0 ? ttft : null, requests > 0 ? speed : null, 0);
}
