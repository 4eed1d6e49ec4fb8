namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// How one generation ended, as a version comparison reads it: when, whether the server failed it (a decode failure,
/// a faulted loop, the scheduler's own timeout), its time to first token, and its decode rate in completion tokens per
/// second after the first token (null with fewer than two tokens). An answer the output guardrails blocked is
/// <paramref name="Blocked"/>; when its generation had already ended (and so was recorded), the blocked entry only
/// marks it (<paramref name="MarksRecorded"/>) and is no request of its own.
/// </summary>
public readonly record struct GenerationOutcome(DateTimeOffset EndedAt, bool Failed, TimeSpan? TimeToFirstToken, double? TokensPerSecond, bool Blocked = false, bool MarksRecorded = false)
{
    /// <summary>Whether a generation that ended with <paramref name="reason"/> is recorded: not when the client or the daemon ended it.</summary>
    public static bool IsRecorded(FinishReason reason) => reason is not (FinishReason.Cancelled or FinishReason.ClientStalled or FinishReason.Shutdown);

    /// <summary>
    /// The outcome of a generation that ended with <paramref name="reason"/>, or null when the ending says nothing about
    /// the model (the client cancelled or stopped reading, the daemon is shutting down).
    /// </summary>
    internal static GenerationOutcome? Of(FinishReason reason, DateTimeOffset endedAt, DateTimeOffset submittedAt, TimeSpan? timeToFirstToken, int completionTokens)
    {
        if (!IsRecorded(reason))
        {
            return null;
        }

        double? rate = null;
        if (timeToFirstToken is { } first && completionTokens > 1 && endedAt - (submittedAt + first) is { } decoding && decoding > TimeSpan.Zero)
        {
            rate = (completionTokens - 1) / decoding.TotalSeconds;
        }

        return new GenerationOutcome(endedAt, reason is FinishReason.Error or FinishReason.Timeout, timeToFirstToken, rate);
    }
}
