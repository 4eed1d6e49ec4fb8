using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>An embedding request waiting for the scheduler loop.</summary>
internal sealed class EmbeddingJob(IReadOnlyList<int> tokens, CancellationToken cancellationToken)
{
    public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs on the scheduler loop, between decode steps; the result (or failure) goes to the waiting request.</summary>
    public void RunOn(IInferenceEngine engine, ILogger logger)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Result.TrySetCanceled(cancellationToken);
            return;
        }

        try
        {
            Result.TrySetResult(engine.Embed(tokens));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            InferenceLog.EmbeddingFailed(logger, ex);
            Result.TrySetException(ex);
        }
    }
}
