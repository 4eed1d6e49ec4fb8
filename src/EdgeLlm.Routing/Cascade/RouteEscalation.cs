namespace EdgeLlm.Routing.Cascade;

/// <summary>A cascade a decision carries: the target answers first, <paramref name="Model"/> instead when that answer is unsure.</summary>
/// <param name="Model">The larger model (name or alias) to escalate to.</param>
/// <param name="BelowMeanLogprob">The target's answer escalates when its mean token log-probability is below this.</param>
public sealed record RouteEscalation(string Model, double BelowMeanLogprob)
{
    /// <summary>
    /// Whether an answer of <paramref name="tokens"/> tokens whose log-probabilities sum to <paramref name="logprobSum"/>
    /// escalates. An answer of no tokens has shown no confidence, so it does.
    /// </summary>
    public bool Escalates(int tokens, double logprobSum) => tokens == 0 || logprobSum / tokens < BelowMeanLogprob;
}
