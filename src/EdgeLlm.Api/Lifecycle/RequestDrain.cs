namespace EdgeLlm.Api.Lifecycle;

/// <summary>
/// The API's side of a graceful stop: counts the requests in flight and, once the host begins to stop, turns new ones
/// away (503 with <c>Retry-After</c>, see <see cref="DrainMiddleware"/>) and <c>/readyz</c> false, so a load balancer
/// drains the device while the requests already running finish.
/// </summary>
public sealed class RequestDrain
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private int _inFlight;
    private volatile bool _draining;

    /// <summary>True from the moment the host began to stop.</summary>
    public bool IsDraining => _draining;

    /// <summary>Requests being answered now (the probes and <c>/metrics</c> are not counted).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Refuse new requests from now on.</summary>
    public void Begin() => _draining = true;

    /// <summary>True when no request is in flight any more; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (InFlight > 0)
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }

        return true;
    }

    internal void Enter() => Interlocked.Increment(ref _inFlight);

    internal void Exit() => Interlocked.Decrement(ref _inFlight);
}
