using System.Diagnostics;

namespace EdgeLlm.Soak;

/// <summary>How long after a fault ended the first attempt of something succeeded (a stream, a write).</summary>
internal static class Recovery
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The time until <paramref name="attempt"/> first succeeds; null when it did not within <paramref name="limit"/>, or the
    /// soak ended first (then <paramref name="cancellationToken"/> says so, and the caller records nothing).
    /// </summary>
    public static async Task<TimeSpan?> TimeUntilAsync(Func<CancellationToken, Task<bool>> attempt, TimeSpan limit, CancellationToken cancellationToken)
    {
        var since = Stopwatch.StartNew();
        try
        {
            while (since.Elapsed < limit)
            {
                if (await attempt(cancellationToken))
                {
                    return since.Elapsed;
                }

                await Task.Delay(Interval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The soak's end came first; the caller does not count this one.
        }

        return null;
    }
}

/// <summary>
/// One fault's recovery: what it was, and the time from its end to the first success (null: never within the limit,
/// or, with <paramref name="CutByEnd"/>, not yet when the soak ended).
/// </summary>
internal sealed record RecoveryTime(string Fault, string FirstSuccess, TimeSpan? Elapsed, bool CutByEnd = false);
