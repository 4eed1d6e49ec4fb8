namespace EdgeLlm.Inference.Scheduling;

/// <summary>Outcome of offering a request to the scheduler: admitted with a stream, or refused at once.</summary>
public abstract record AdmissionResult
{
    private AdmissionResult()
    {
    }

    /// <summary>The request holds a sequence or a place in the wait queue.</summary>
    public sealed record Admitted(GenerationStream Stream) : AdmissionResult;

    /// <summary>Every sequence and every queue place is taken; retry after the hint.</summary>
    public sealed record QueueFull(TimeSpan RetryAfter) : AdmissionResult;

    /// <summary>The scheduler is stopping or its engine failed.</summary>
    public sealed record Unavailable(string Reason) : AdmissionResult;
}
