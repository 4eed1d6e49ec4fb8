using System.Collections.Concurrent;
using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// Bursts of more concurrent streams from key A than the daemon has sequences and queue places together (on top of
/// the flood): the surplus must be refused at once with 429 or 503 and <c>Retry-After</c>, never left hanging or
/// answered 5xx. After each burst, the time until key B's next stream succeeds is its recovery.
/// </summary>
internal sealed class Overload(SoakHttp http, SoakClock clock, string keyA, string keyB, int burstSize)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<int, long> _burstStatuses = new();
    private readonly ConcurrentQueue<RecoveryTime> _recoveries = new();
    private int _bursts;

    public int BurstSize => burstSize;

    public int Bursts => _bursts;

    /// <summary>The statuses the bursts' requests got (0: no answer).</summary>
    public IReadOnlyDictionary<int, long> BurstStatuses => _burstStatuses;

    public IReadOnlyCollection<RecoveryTime> Recoveries => _recoveries;

    public async Task RunAsync(TimeSpan until, CancellationToken cancellationToken)
    {
        await KeyFlood.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        while (!cancellationToken.IsCancellationRequested && until - clock.Now > TimeSpan.FromSeconds(15))
        {
            var next = clock.Now + Every;
            var outcomes = await Task.WhenAll(Enumerable.Range(0, burstSize).Select(i =>
                KeyFlood.Swallow(http.StreamAsync(keyA, $"One day, burst {i}", 200, cancellationToken))));
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _bursts++;
            foreach (var outcome in outcomes)
            {
                _burstStatuses.AddOrUpdate(outcome?.Status ?? 0, 1, (_, n) => n + 1);
            }

            var recovered = await Recovery.TimeUntilAsync(
                async ct => (await http.StreamAsync(keyB, "Lily liked", KeyFlood.KeyBTokens, ct)).Succeeded, RecoveryLimit, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _recoveries.Enqueue(new RecoveryTime("overload burst", "key B stream", recovered));
            if (next > clock.Now)
            {
                await KeyFlood.Delay(next - clock.Now, cancellationToken);
            }
        }
    }
}
