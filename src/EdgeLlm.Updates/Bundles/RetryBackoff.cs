namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Exponential back-off with jitter: the n-th retry waits between half and all of <c>first · 2^(n-1)</c>, capped at
/// <c>max</c>. The jitter keeps a fleet that lost its mirror at the same moment from coming back in lockstep.
/// Waits run on the injected <see cref="TimeProvider"/>, so tests drive them with a fake clock.
/// </summary>
public sealed class RetryBackoff(TimeSpan first, TimeSpan max, TimeProvider time, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ceiling = first.Ticks * Math.Pow(2, Math.Min(attempt - 1, 40));
        var full = Math.Min(ceiling, max.Ticks);
        return TimeSpan.FromTicks((long)(full / 2 + (full / 2 * _random.NextDouble())));
    }

    /// <summary>Waits <see cref="Delay"/> of <paramref name="attempt"/>.</summary>
    public Task WaitAsync(int attempt, CancellationToken cancellationToken) => Task.Delay(Delay(attempt), time, cancellationToken);
}
