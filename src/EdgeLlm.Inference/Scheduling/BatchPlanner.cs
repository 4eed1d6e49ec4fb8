namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// Decides what one decode step carries: first the last sampled token of every running stream (so each
/// stream advances once per step, fairly), then prompt chunks of new requests in arrival order, at most
/// <c>promptChunkTokens</c> of them, so a long prompt never stalls the running streams for long.
/// </summary>
internal static class BatchPlanner
{
    public static void Fill(IReadOnlyList<GenerationJob> active, int batchCapacity, int promptChunkTokens)
    {
        var budget = batchCapacity;
        foreach (var job in active)
        {
            job.InBatch = false;
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

            if (job.PromptDone)
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
}
