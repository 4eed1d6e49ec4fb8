namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// Running totals of one model's speculation, written by the scheduler's thread and read by metrics from others.
/// </summary>
internal sealed class SpeculationCounters
{
    private long _proposedTokens;
    private long _acceptedTokens;
    private long _verifies;

    /// <summary>Draft tokens decoded behind a pending token.</summary>
    public long ProposedTokens => Interlocked.Read(ref _proposedTokens);

    /// <summary>Draft tokens that matched the sampled token and were kept.</summary>
    public long AcceptedTokens => Interlocked.Read(ref _acceptedTokens);

    /// <summary>Verifies run: decode steps in which a job's drafts were checked.</summary>
    public long Verifies => Interlocked.Read(ref _verifies);

    public void Record(VerifyOutcome outcome)
    {
        Interlocked.Add(ref _proposedTokens, outcome.Proposed);
        Interlocked.Add(ref _acceptedTokens, outcome.Accepted);
        Interlocked.Increment(ref _verifies);
    }
}
