namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// How long a pull waits on a server that accepted the connection: for a small file (the channel index, the
/// manifest, a signature) to arrive whole, and for the next bytes of an artifact (a stalled body is a broken
/// connection, resumed like a cut one). Without them a server that accepts and never answers would hold the
/// check, and with it freeze protection, forever. On <see cref="Time"/>, so tests drive them with a fake clock.
/// </summary>
public sealed record PullDeadlines(TimeSpan Request, TimeSpan Stall, TimeProvider Time)
{
    public static PullDeadlines Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeProvider.System);

    /// <summary>Runs <paramref name="work"/> with <paramref name="limit"/> to finish; a <see cref="TimeoutException"/> saying <paramref name="what"/> when it does not.</summary>
    internal async Task<T> WithinAsync<T>(TimeSpan limit, string what, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(limit, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await work(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{what} within {limit}.");
        }
    }
}
