namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// Decides what one decode step carries: first the last sampled token of every running stream (so each
/// stream advances once per step, fairly), then prompt chunks of new requests in arrival order, at most
/// <c>promptChunkTokens</c> of them, so a long prompt never stalls the running streams for long.
/// While several API keys run sequences, a key holding more than an even part of them sits out all steps but every
/// <see cref="HeldKeyEvery"/>-th: a step's cost grows with what it carries, so another key's few tokens would
/// otherwise come at the flood's pace (measured by the soak: an 8-token request 15 times slower beside a 7-stream flood).
/// The flood still advances, and a single key, or keys holding even parts, are never held back.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>How often a key over its part of the running sequences is decoded while lighter keys run.</summary>
    public const int HeldKeyEvery = 4;

    /// <summary>Queues this step's tokens: each running stream's pending token (with its drafts when <paramref name="drafts"/> allows), then prompt chunks.</summary>
    /// <param name="active">The running jobs, in arrival order.</param>
    /// <param name="batchCapacity">Most tokens the decode takes.</param>
    /// <param name="promptChunkTokens">Most prompt tokens per step.</param>
    /// <param name="step">The step's number (a held key goes in every <see cref="HeldKeyEvery"/>-th).</param>
    /// <param name="drafts">How many drafts a job may propose behind its pending token in this step; null: none.</param>
    /// <returns>The tokens queued for the decode.</returns>
    public static int Fill(IReadOnlyList<GenerationJob> active, int batchCapacity, int promptChunkTokens, long step = 0, DraftPlan? drafts = null)
    {
        var held = step % HeldKeyEvery == 0 ? null : HeavyKeys(active);
        var queued = Plan(active, batchCapacity, promptChunkTokens, held, drafts);
        if (held is not null && !active.Any(j => j.InBatch))
        {
            // Nothing of the lighter keys could go in this step: never decode an empty batch.
            queued = Plan(active, batchCapacity, promptChunkTokens, held: null, drafts);
        }

        return queued;
    }

    private static int Plan(IReadOnlyList<GenerationJob> active, int batchCapacity, int promptChunkTokens, HashSet<string>? held, DraftPlan? drafts)
    {
        var budget = batchCapacity;
        var pending = drafts is null ? 0 : active.Count(j => j.PendingToken is not null && !IsHeld(j, held));
        var draftsQueued = 0;
        foreach (var job in active)
        {
            job.InBatch = false;
            job.Proposed = 0;
            if (IsHeld(job, held))
            {
                continue;
            }

            if (job.PendingToken is { } token)
            {
                var proposed = drafts is not null ? Draft(job, drafts, pending - 1 + draftsQueued) : 0;
                draftsQueued += proposed;
                if (proposed > 0)
                {
                    job.Sequence!.Propose(token, job.Drafts.AsSpan(0, proposed));
                    job.Proposed = proposed;
                }
                else
                {
                    job.Sequence!.Prompt([token]);
                }

                job.PendingToken = null;
                job.InBatch = true;
                budget -= 1 + proposed;
            }
        }

        var promptBudget = Math.Min(budget, promptChunkTokens);
        var promptQueued = 0;
        foreach (var job in active)
        {
            if (promptBudget <= 0)
            {
                break;
            }

            if (job.PromptDone || IsHeld(job, held))
            {
                continue;
            }

            var prompt = job.Request.PromptTokens;
            var count = Math.Min(promptBudget, prompt.Count - job.PromptOffset);
            var chunk = new int[count];
            for (var i = 0; i < count; i++)
            {
                chunk[i] = prompt[job.PromptOffset + i];
            }

            job.Sequence!.Prompt(chunk);
            job.PromptOffset += count;
            job.InBatch = true;
            promptBudget -= count;
            promptQueued += count;
        }

        return batchCapacity - budget + promptQueued;
    }

    /// <summary>
    /// Fills the job's drafts from its prompt and answer so far, as many as its allowance, its length limit and the
    /// step's measured cost make worth it beside <paramref name="otherTokens"/> tokens of other streams; returns how
    /// many (0 while it backs off, when drafts would not pay, or when nothing matched).
    /// </summary>
    private static int Draft(GenerationJob job, DraftPlan plan, int otherTokens)
    {
        if (job.Drafter is not { } drafter)
        {
            return 0;
        }

        var room = Speculation.SpeculationPolicy.DraftRoom(plan.StepRoom, job.DraftStats.Allowance(plan.MaxDraftTokens), job.Request.MaxTokens, job.CompletionTokens);
        room = plan.Costs.BestDrafts(otherTokens, room, job.DraftStats.Acceptance);
        if (job.Drafts.Length < room)
        {
            job.Drafts = new int[plan.MaxDraftTokens];
        }

        var proposed = room > 0 ? drafter.Propose(job.Drafts.AsSpan(0, room)) : 0;
        if (proposed == 0)
        {
            job.DraftStats.Skipped();
        }

        return proposed;
    }

    private static bool IsHeld(GenerationJob job, HashSet<string>? heavy) =>
        heavy is not null && job.Request.Owner is { } owner && heavy.Contains(owner.Key);

    /// <summary>The keys holding more than an even part of the running sequences; null when there is one key or none is over.</summary>
    private static HashSet<string>? HeavyKeys(IReadOnlyList<GenerationJob> active)
    {
        var byKey = active.Where(j => j.Request.Owner is not null).GroupBy(j => j.Request.Owner!.Key).ToDictionary(g => g.Key, g => g.Count());
        if (byKey.Count < 2)
        {
            return null;
        }

        var evenPart = (byKey.Values.Sum() + byKey.Count - 1) / byKey.Count;
        var heavy = byKey.Where(k => k.Value > evenPart).Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        return heavy.Count == 0 ? null : heavy;
    }
}

/// <summary>What one step allows for drafts: each job's most (0: none this step), the model's most, and the measured step costs.</summary>
internal sealed record DraftPlan(int StepRoom, int MaxDraftTokens, Speculation.DecodeCosts Costs);
