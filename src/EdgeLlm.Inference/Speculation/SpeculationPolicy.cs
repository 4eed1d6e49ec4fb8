namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// Whether a decode step carries drafts and how many one job may propose. Drafts pay off when a step is bound by
/// reading the weights, not by compute: a few decoding streams and no prompt to feed. Prompt steps are
/// compute-bound and time to first token comes first, so any pending prompt turns speculation off for the step.
/// </summary>
internal static class SpeculationPolicy
{
    /// <summary>
    /// The most drafts any job may propose in this step; 0 when the step carries none: speculation is off for the
    /// model, more than <paramref name="maxStreams"/> streams are decoding, or a running job still has prompt to feed.
    /// Otherwise <paramref name="maxDraftTokens"/>, capped by an even share of the batch left after every decoding
    /// stream's own pending token.
    /// </summary>
    public static int StepRoom(bool enabled, int maxStreams, int maxDraftTokens, int decodingStreams, bool promptPending, int batchCapacity)
    {
        if (!enabled || promptPending || decodingStreams <= 0 || decodingStreams > maxStreams)
        {
            return 0;
        }

        var share = (batchCapacity - decodingStreams) / decodingStreams;
        return Math.Max(0, Math.Min(maxDraftTokens, share));
    }

    /// <summary>
    /// How many drafts one job proposes at most: the step's room, the job's <see cref="DraftStats.Allowance"/>, and
    /// what its length limit leaves. The pending token and k drafts yield up to k + 1 sampled tokens, and the pending
    /// token is already counted in <paramref name="completionTokens"/>, so k ≤ maxTokens − completionTokens − 1. As
    /// the request's maxTokens is already clamped to the context left, the drafts' cells also fit the context.
    /// </summary>
    public static int DraftRoom(int stepRoom, int allowance, int maxTokens, int completionTokens) =>
        Math.Max(0, Math.Min(Math.Min(stepRoom, allowance), maxTokens - completionTokens - 1));
}
