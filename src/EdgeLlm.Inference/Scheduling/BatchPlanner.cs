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

    public static void Fill(IReadOnlyList<GenerationJob> active, int batchCapacity, int promptChunkTokens, long step = 0)
    {
        var held = step % HeldKeyEvery == 0 ? null : HeavyKeys(active);
        Plan(active, batchCapacity, promptChunkTokens, held);
        if (held is not null && !active.Any(j => j.InBatch))
        {
            // Nothing of the lighter keys could go in this step: never decode an empty batch.
            Plan(active, batchCapacity, promptChunkTokens, held: null);
        }
    }

    private static void Plan(IReadOnlyList<GenerationJob> active, int batchCapacity, int promptChunkTokens, HashSet<string>? held)
    {
        var budget = batchCapacity;
        foreach (var job in active)
        {
            job.InBatch = false;
            if (IsHeld(job, held))
            {
                continue;
            }

            if (job.PendingToken is { } token)
            {
                job.Sequence!.Prompt([token]);
                job.PendingToken = null;
                job.InBatch = true;
                budget--;
            }
        }

        var promptBudget = Math.Min(budget, promptChunkTokens);
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
        }
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
