namespace EdgeLlm.Inference.Scheduling;

/// <summary>What the scheduler does with each token a sequence samples.</summary>
public sealed partial class InferenceScheduler
{
    private void SampleNext(GenerationJob job, DateTimeOffset now)
    {
        var sequence = job.Sequence!;
        var sampled = sequence.Sample();
        var token = sampled.Token;
        job.TimeToFirstToken ??= now - job.SubmittedAt;
        if (token < 0)
        {
            // The grammar allows no token at all: a grammar that cannot be completed; never sampled outside it.
            Complete(job, FinishReason.Error, now);
            return;
        }

        if (sequence.IsEndOfGeneration(token))
        {
            Complete(job, FinishReason.Stop, now);
            return;
        }

        job.CompletionTokens++;
        job.Emit(job.Stops.Append(sequence.Detokenize(token)), SampledLogprobs.Of(sequence, sampled), now);
        if (job.Stops.Stopped)
        {
            Complete(job, FinishReason.Stop, now);
        }
        else if (job.CompletionTokens >= job.Request.MaxTokens)
        {
            Complete(job, FinishReason.Length, now);
        }
        else
        {
            job.PendingToken = token;
        }
    }
}
