using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Judges one window of a rollout, in the spirit of Flagger's and Argo Rollouts' analysis: each version needs
/// <c>Updates:RolloutMinSamples</c> requests (fewer is inconclusive), then each metric is held to its threshold
/// against the active version: error rate, time to first token p95, tokens per second, blocked share. Once the
/// candidate takes every request the active version serves too few to compare with, so the candidate is held to the
/// last active window that had enough (the baseline).
/// </summary>
public static class RolloutAnalysis
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Inconclusive = "inconclusive";

    public static RolloutFigures Judge(VersionWindow active, VersionWindow candidate, WindowFigures? baseline, int weightPercent, UpdatesOptions thresholds)
    {
        var figures = new RolloutFigures { Active = Figures(active), Candidate = Figures(candidate) };
        var minimum = thresholds.RolloutMinSamples;
        var compared = figures.Active;
        if (active.Requests < minimum && weightPercent == 100 && baseline is not null)
        {
            compared = baseline;
            figures.AgainstBaseline = true;
        }

        if (compared.Requests < minimum || candidate.Requests < minimum)
        {
            figures.Verdict = Inconclusive;
            figures.Reasons.Add($"fewer than {minimum} requests (active {active.Requests}, candidate {candidate.Requests})");
            return figures;
        }

        var c = figures.Candidate;
        if (c.ErrorRate - compared.ErrorRate > thresholds.RolloutMaxErrorRateIncrease)
        {
            figures.Reasons.Add("error_rate");
        }

        if (c.TimeToFirstTokenP95Ms is { } ttft && compared.TimeToFirstTokenP95Ms is { } activeTtft && ttft > activeTtft * thresholds.RolloutMaxTimeToFirstTokenRatio)
        {
            figures.Reasons.Add("time_to_first_token");
        }

        if (c.TokensPerSecond is { } speed && compared.TokensPerSecond is { } activeSpeed && speed < activeSpeed * thresholds.RolloutMinTokensPerSecondRatio)
        {
            figures.Reasons.Add("tokens_per_second");
        }

        if (c.BlockedShare - compared.BlockedShare > thresholds.RolloutMaxBlockedShareIncrease)
        {
            figures.Reasons.Add("blocked_share");
        }

        figures.Verdict = figures.Reasons.Count == 0 ? Passed : Failed;
        return figures;
    }

    private static WindowFigures Figures(VersionWindow window) => new()
    {
        Requests = window.Requests,
        ErrorRate = window.Requests == 0 ? 0 : (double)window.Errors / window.Requests,
        TimeToFirstTokenP95Ms = window.TimeToFirstTokenP95Ms,
        TokensPerSecond = window.TokensPerSecond,
        BlockedShare = window.Requests == 0 ? 0 : (double)window.Blocked / window.Requests,
    };
}
