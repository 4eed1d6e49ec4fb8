namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// Drafts by prompt lookup: each job copies from its own history (<see cref="PromptLookupDrafter"/>). It keeps no
/// state of its own, as the history is fed the delivered tokens by the scheduler, so one instance serves all jobs.
/// </summary>
internal sealed class PromptLookupDraftSource : IDraftSource
{
    public void Propose(IReadOnlyList<DraftSlot> slots)
    {
        foreach (var slot in slots)
        {
            slot.Count = slot.History.Propose(slot.Drafts);
        }
    }

    /// <summary>Nothing to trim: the history holds only delivered tokens, never drafts.</summary>
    public void Settle(DraftSlot slot, int accepted)
    {
    }
}
