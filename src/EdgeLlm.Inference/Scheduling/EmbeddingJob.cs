namespace EdgeLlm.Inference.Scheduling;

/// <summary>An embedding request waiting for the scheduler loop.</summary>
internal sealed class EmbeddingJob(IReadOnlyList<int> tokens, CancellationToken cancellationToken)
{
    public IReadOnlyList<int> Tokens { get; } = tokens;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
