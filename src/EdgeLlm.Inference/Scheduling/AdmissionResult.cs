namespace EdgeLlm.Inference.Scheduling;

/// <summary>Outcome of offering a request to the scheduler: admitted with a stream, or refused at once.</summary>
public abstract record AdmissionResult
{
    private AdmissionResult()
    {
    }

    /// <summary>The request holds a sequence or a place in the wait queue.</summary>
    public sealed record Admitted(GenerationStream Stream) : AdmissionResult;

    /// <summary>
    /// Every sequence and every queue place is taken, or (<paramref name="OwnShare"/>) the request's API key or tenant
    /// already has all the requests its share allows; retry after the hint.
    /// </summary>
    public sealed record QueueFull(TimeSpan RetryAfter, bool OwnShare = false) : AdmissionResult;

    /// <summary>The scheduler is stopping or its engine failed.</summary>
    public sealed record Unavailable(string Reason) : AdmissionResult;
}
