namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// Keeps the drain's average send rate under a byte budget per second: after each batch, the wait that
/// brings the running average back to the budget. A burst of one batch is always allowed.
/// </summary>
internal sealed class DrainRateLimiter(long bytesPerSecond, TimeProvider time)
{
    private long _startTimestamp = time.GetTimestamp();
    private long _bytes;

    /// <summary>How long to wait after sending <paramref name="bytes"/> more; zero when under budget or unlimited.</summary>
    public TimeSpan Sent(int bytes)
    {
        if (bytesPerSecond <= 0)
        {
            return TimeSpan.Zero;
        }

        _bytes += bytes;
        var due = TimeSpan.FromSeconds((double)_bytes / bytesPerSecond);
        var elapsed = time.GetElapsedTime(_startTimestamp);
        if (elapsed > due + TimeSpan.FromSeconds(1))
        {
            // Idle a while: start a new window so idle time is not banked for a later burst.
            _startTimestamp = time.GetTimestamp();
            _bytes = 0;
            return TimeSpan.Zero;
        }

        return due > elapsed ? due - elapsed : TimeSpan.Zero;
    }
}
