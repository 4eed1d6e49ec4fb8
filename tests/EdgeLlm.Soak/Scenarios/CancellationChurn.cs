using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// Streams dropped by their client, thousands of them: most after a few tokens, some as soon as the headers came,
/// some before any answer (while queued or being admitted). Each must free its sequence; the flood and key B show
/// whether they do.
/// </summary>
internal sealed class CancellationChurn(SoakHttp http, string key, int lanes)
{
    private long _started;

    public long Started => Interlocked.Read(ref _started);

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, lanes).Select(i => Task.Run(() => LaneAsync(i, cancellationToken), CancellationToken.None)));

    private async Task LaneAsync(int lane, CancellationToken cancellationToken)
    {
        var random = new Random(lane);
        while (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _started);
            var mode = random.Next(10);
            using var early = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (mode == 0)
            {
                early.CancelAfter(TimeSpan.FromMilliseconds(random.Next(1, 50)));
            }

            try
            {
                var outcome = await http.StreamAsync(key, "The little dog", 400, early.Token, abortAfterTexts: mode == 1 ? 0 : random.Next(1, 6));
                if (outcome.End is StreamEnd.Refused or StreamEnd.Cut)
                {
                    await KeyFlood.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                }
            }
            catch (Exception) when (early.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Dropped before any answer, on purpose.
                http.Ledger.Aborted();
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
