namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// Where drafts come from, called on the scheduler's thread once per drafting step for all jobs at once, so that a
/// draft model could decode every job's drafts in one native call. <see cref="PromptLookupDraftSource"/> copies
/// from each job's own history. A draft model would add a second model and context on the same thread, a vocabulary
/// check at load, room for both in the memory budget, and k draft decodes per step; the verify step stays the same.
/// </summary>
internal interface IDraftSource
{
    /// <summary>Fills each slot's <see cref="DraftSlot.Drafts"/> with at most <see cref="DraftSlot.Room"/> tokens and sets <see cref="DraftSlot.Count"/>.</summary>
    void Propose(IReadOnlyList<DraftSlot> slots);

    /// <summary>
    /// After the verify: <paramref name="accepted"/> of the slot's drafts were kept. A draft model trims its own
    /// cache of the rest here; the job's history has by then been given the delivered tokens.
    /// </summary>
    void Settle(DraftSlot slot, int accepted);
}
