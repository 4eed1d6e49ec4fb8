using System.Collections.Concurrent;
using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// Key A floods: more long greedy streams at once than the daemon has sequences, each started again as it ends. Key B
/// meanwhile sends an 8-token completion every <see cref="KeyBEvery"/> whether or not the last one was answered (a
/// steady client, so a stall shows as many waiting requests, not as one), from the start of the soak (alone) to its end
/// (beside the flood, then beside everything); each one's latency is kept with the time it was sent.
/// </summary>
internal sealed class KeyFlood(SoakHttp http, SoakClock clock, string keyA, string keyB, int floodStreams)
{
    public const int KeyBTokens = 8;
    private const int FloodTokens = 1500;
    private static readonly TimeSpan KeyBEvery = TimeSpan.FromMilliseconds(300);

    // Beyond this many of key B's requests waiting at once, key B waits too: a bound on the soak, far above the
    // one or two a daemon that shares fairly ever has outstanding.
    private const int KeyBMaxOutstanding = 16;

    private readonly ConcurrentQueue<LatencySample> _keyB = new();
    private readonly ConcurrentQueue<List<TimeSpan>> _floodArrivals = new();

    public IReadOnlyCollection<LatencySample> KeyB => _keyB;

    /// <summary>The text events' arrival times of each flood stream.</summary>
    public IReadOnlyCollection<List<TimeSpan>> FloodArrivals => _floodArrivals;

    public int FloodStreams => floodStreams;

    public async Task RunKeyBAsync(CancellationToken cancellationToken)
    {
        using var outstanding = new SemaphoreSlim(KeyBMaxOutstanding);
        var requests = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = clock.Now + KeyBEvery;
            try
            {
                await outstanding.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            requests.Add(OneKeyBRequestAsync(outstanding, cancellationToken));
            await Delay(next - clock.Now, cancellationToken);
        }

        await Task.WhenAll(requests).ConfigureAwait(false);
    }

    private async Task OneKeyBRequestAsync(SemaphoreSlim outstanding, CancellationToken cancellationToken)
    {
        var sent = clock.Now;
        try
        {
            var status = await http.CompleteAsync(keyB, "Lily liked", KeyBTokens, cancellationToken).ConfigureAwait(false);
            _keyB.Enqueue(new LatencySample(sent, clock.Now - sent, status, Finished: true));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Still waiting at the end: kept, since a request stuck behind the flood is the point of measuring.
            _keyB.Enqueue(new LatencySample(sent, clock.Now - sent, null, Finished: false));
        }
        finally
        {
            outstanding.Release();
        }
    }

    public Task RunFloodAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, floodStreams).Select(i => Task.Run(() => OneFloodLaneAsync(i, cancellationToken), CancellationToken.None)));

    private async Task OneFloodLaneAsync(int lane, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var arrivals = new List<TimeSpan>(FloodTokens);
            _floodArrivals.Enqueue(arrivals);
            var outcome = await Swallow(http.StreamAsync(keyA, $"Once upon a time, story {lane}", FloodTokens, cancellationToken, arrivals: arrivals));
            if (outcome is not { Succeeded: true })
            {
                // A refusal (429 while the key is over its share) or a failure: do not spin on it.
                await Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    internal static async Task<T?> Swallow<T>(Task<T> task)
        where T : class
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    internal static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The soak's end.
        }
    }
}

/// <summary>
/// One of key B's requests: when it was sent, how long its answer took (or, unfinished, how long it had waited when the
/// soak ended), its status (null: none came).
/// </summary>
internal sealed record LatencySample(TimeSpan At, TimeSpan Latency, int? Status, bool Finished);
