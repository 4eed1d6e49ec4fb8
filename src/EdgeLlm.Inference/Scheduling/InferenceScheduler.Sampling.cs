using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>What the scheduler does with each token a sequence samples, one at a time or in a verified run of drafts, and what its speculation and kept prefixes have done.</summary>
public sealed partial class InferenceScheduler
{
    /// <summary>Drafts proposed and accepted since load.</summary>
    internal SpeculationCounters Speculation { get; } = new();

    /// <summary>How long the decode steps take by their size, which decides how many drafts pay.</summary>
    internal DecodeCosts StepCosts => _costs;

    /// <summary>The model's kept prompt prefixes.</summary>
    internal PrefixReuse.PrefixCacheCounters PrefixCache => _engine.PrefixCache;

    /// <summary>Whether this model keeps prompt prefixes and speculates, and what the kept prefixes hold now.</summary>
    public ReuseSnapshot Reuse => new(_engine.KeepsPrefixes, _settings.Speculation is not null, _engine.ReuseUnavailable, _engine.PrefixCache.Entries, _engine.PrefixCache.Cells);

    /// <summary>The engine, for tests that look into its memory while the loop is idle.</summary>
    internal IInferenceEngine Engine => _engine;

    private void SampleNext(GenerationJob job, DateTimeOffset now)
    {
        var sampled = job.Sequence!.Sample();
        if (Deliver(job, sampled, now) is { } ended)
        {
            Complete(job, ended, now);
        }
        else
        {
            job.PendingToken = sampled.Token;
        }
    }

    /// <summary>
    /// Samples the positions of a job's pending token and drafts in order and delivers each token until one differs
    /// from the next draft (<see cref="VerifyRun"/>), then removes the cells of the drafts not accepted, before the
    /// job can end and its cells be kept.
    /// </summary>
    private void Verify(GenerationJob job, DateTimeOffset now)
    {
        var sequence = job.Sequence!;
        FinishReason? ended = null;
        var outcome = VerifyRun.Run(job.Drafts.AsSpan(0, job.Proposed), () =>
        {
            var sampled = sequence.Sample();
            ended = Deliver(job, sampled, now);
            return new DeliveredToken(sampled.Token, ended is null);
        });
        sequence.Rollback(outcome.Rejected);
        job.DraftStats.Recorded(outcome.Proposed, outcome.Accepted);
        Speculation.Record(outcome);
        job.Proposed = 0;
        if (ended is { } reason)
        {
            Complete(job, reason, now);
        }
        else
        {
            job.PendingToken = outcome.LastToken;
        }
    }

    /// <summary>Hands a sampled token to the job: its text, log-probabilities and stops. Returns why the job ends, or null when it goes on.</summary>
    private static FinishReason? Deliver(GenerationJob job, SampledToken sampled, DateTimeOffset now)
    {
        var sequence = job.Sequence!;
        var token = sampled.Token;
        job.TimeToFirstToken ??= now - job.SubmittedAt;
        if (token < 0)
        {
            // The grammar allows no token at all: a grammar that cannot be completed; never sampled outside it.
            return FinishReason.Error;
        }

        if (sequence.IsEndOfGeneration(token))
        {
            return FinishReason.Stop;
        }

        job.CompletionTokens++;
        job.Emit(job.Stops.Append(sequence.Detokenize(token)), SampledLogprobs.Of(sequence, sampled), now);
        if (job.Stops.Stopped)
        {
            return FinishReason.Stop;
        }

        if (job.CompletionTokens >= job.Request.MaxTokens)
        {
            return FinishReason.Length;
        }

        job.Drafter?.Append(token);
        return null;
    }

    /// <summary>Indexes a starting job's prompt for prompt lookup, when the model speculates.</summary>
    private void StartDrafting(GenerationJob job)
    {
        if (_settings.Speculation is { } speculation)
        {
            job.Drafter = new PromptLookupDrafter(speculation.NgramMin, speculation.NgramMax);
            job.Drafter.Append(job.Request.PromptTokens as int[] ?? [.. job.Request.PromptTokens]);
        }
    }

    /// <summary>What this step allows for drafts; null when the model does not speculate or the step cannot carry any.</summary>
    private DraftPlan? DraftPlan()
    {
        if (_settings.Speculation is not { } speculation)
        {
            return null;
        }

        var decoding = _active.Count(j => j.PendingToken is not null);
        var promptPending = _active.Any(j => !j.PromptDone);
        var room = SpeculationPolicy.StepRoom(true, speculation.MaxStreams, speculation.MaxDraftTokens, decoding, promptPending, _engine.BatchCapacity);
        return room > 0 ? new DraftPlan(room, speculation.MaxDraftTokens, _costs) : null;
    }
}
