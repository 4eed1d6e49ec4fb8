namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// The acceptance rule of speculative decoding with point-mass drafts (prompt lookup): after one decode of the
/// pending token and drafts d1..dk with logits at every position, sample position i with the request's own sampler
/// and deliver the token; accept d(i+1) iff it equals that token, else stop.
/// </summary>
/// <remarks>
/// Why the text keeps the target distribution p: a point-mass draft q(d) = 1 is accepted by the standard rule with
/// probability min(1, p(d)/q(d)) = p(d), and a rejection samples from norm(max(0, p − q)), which is p restricted to
/// t ≠ d. Sampling t from p and comparing it with d has exactly that law. Position i's logits condition on the
/// pending token and d1..di, which equal the accepted tokens because the run stops at the first mismatch; so the
/// sampler is called once per delivered token, in order, in the state after the previous accepted token, as without
/// speculation, and its penalty and grammar state never see a rejected draft.
/// </remarks>
internal static class VerifyRun
{
    /// <summary>
    /// Runs positions 0..k (k = <c>drafts.Length</c>): <paramref name="sampleAndDeliver"/> samples the position's
    /// token and hands it to the job (text, stops, length, log-probabilities). The run stops when the job ends, after
    /// position k, or at the first sampled token that differs from the next draft (that token is the correction).
    /// With no drafts it is a plain sample.
    /// </summary>
    public static VerifyOutcome Run(ReadOnlySpan<int> drafts, Func<DeliveredToken> sampleAndDeliver)
    {
        var accepted = 0;
        while (true)
        {
            var delivered = sampleAndDeliver();
            if (!delivered.JobContinues || accepted == drafts.Length || delivered.Token != drafts[accepted])
            {
                return new VerifyOutcome(drafts.Length, accepted, delivered.Token, delivered.JobContinues);
            }

            accepted++;
        }
    }
}
