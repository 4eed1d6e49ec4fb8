using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>What the scheduler does with each token a sequence samples, one at a time or in a verified run of drafts.</summary>
public sealed partial class InferenceScheduler
{
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
}
