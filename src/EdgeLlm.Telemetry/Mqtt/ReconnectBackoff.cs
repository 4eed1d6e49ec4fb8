namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// Exponential back-off with "equal jitter": the n-th wait is half of min(max, min·2ⁿ) plus a random share of
/// the other half, so a fleet that lost its broker together does not come back in lock-step.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random random)
{
    public int Failures { get; private set; }

    public TimeSpan NextDelay()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(Failures, 30)));
        Failures++;
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }

    public void Reset() => Failures = 0;
}
