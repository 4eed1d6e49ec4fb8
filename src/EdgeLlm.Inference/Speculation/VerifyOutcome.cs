namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// What one verify of a job's drafts came to. The tokens delivered were the first <see cref="Accepted"/> drafts,
/// then <see cref="LastToken"/> (the correction, the token after a fully accepted run, or the token that ended the job).
/// </summary>
/// <param name="Proposed">Drafts decoded behind the pending token.</param>
/// <param name="Accepted">Drafts whose cells stay: each equalled the token sampled before it and the job went on.</param>
/// <param name="LastToken">The last token sampled; the job's next pending token when it continues.</param>
/// <param name="JobContinues">False when the job ended inside the run (end of generation, stop sequence, length, error).</param>
internal readonly record struct VerifyOutcome(int Proposed, int Accepted, int LastToken, bool JobContinues)
{
    /// <summary>Draft cells to remove from the sequence: those after the last accepted draft.</summary>
    public int Rejected => Proposed - Accepted;

    /// <summary>Tokens sampled and delivered: one per accepted draft, and the last.</summary>
    public int Sampled => Accepted + 1;
}
