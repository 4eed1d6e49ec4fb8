namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// Caps a download's average rate, so pulling a multi-gigabyte model after days offline does not starve the
/// site's link: after <c>n</c> bytes the transfer may be no further than <c>n / rate</c> seconds from its start.
/// A rate of 0 means no cap.
/// </summary>
public sealed class BandwidthLimiter(long bytesPerSecond, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private long _bytes;

    /// <summary>Accounts for <paramref name="bytes"/> just transferred and waits until the average rate is back under the cap.</summary>
    public async ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytesPerSecond <= 0)
        {
            return;
        }

        var total = Interlocked.Add(ref _bytes, bytes);
        var due = TimeSpan.FromSeconds(total / (double)bytesPerSecond);
        var ahead = due - time.GetElapsedTime(_started);
        if (ahead > TimeSpan.Zero)
        {
            await Task.Delay(ahead, time, cancellationToken);
        }
    }
}
