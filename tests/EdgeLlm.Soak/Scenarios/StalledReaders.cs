using System.Collections.Concurrent;
using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// Episodes of clients that stop reading, each holding its connections for <see cref="Hold"/> or until the daemon
/// cuts them: one stream never read, three pipelined streams never read, one stream read a byte a second. After each
/// episode, the time until key B's next stream succeeds is its recovery.
/// </summary>
internal sealed class StalledReaders(SoakHttp http, SoakClock clock, string key, string keyB)
{
    private const int LongStream = 1900;
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(2);

    private readonly ConcurrentQueue<StallOutcome> _outcomes = new();
    private readonly ConcurrentQueue<RecoveryTime> _recoveries = new();

    public IReadOnlyCollection<StallOutcome> Outcomes => _outcomes;

    public IReadOnlyCollection<RecoveryTime> Recoveries => _recoveries;

    public async Task RunAsync(TimeSpan until, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && until - clock.Now > TimeSpan.FromSeconds(20))
        {
            var hold = Min(Hold, until - clock.Now - TimeSpan.FromSeconds(10));
            var body = http.CompletionJson("Once upon a time", LongStream, stream: true);
            StalledReader[] readers =
            [
                new("never reads, 1 stream", http.Address, key, body, 1, readsSlowly: false),
                new("never reads, 3 pipelined", http.Address, key, body, 3, readsSlowly: false),
                new("reads 1 byte/s, 1 stream", http.Address, key, body, 1, readsSlowly: true),
            ];
            try
            {
                foreach (var reader in readers)
                {
                    await reader.OpenAsync(cancellationToken);
                }

                foreach (var outcome in await Task.WhenAll(readers.Select(r => r.HoldAsync(hold, cancellationToken))))
                {
                    _outcomes.Enqueue(outcome);
                    foreach (var status in outcome.Statuses)
                    {
                        // Counted by status (a 5xx among them is listed); the raw reader parses no headers, so Retry-After is not judged here.
                        http.Ledger.Answered("POST /v1/completions (stalled reader)", (System.Net.HttpStatusCode)status, hasRetryAfter: true, body: null);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var recovered = await Recovery.TimeUntilAsync(
                async ct => (await http.StreamAsync(keyB, "Lily liked", KeyFlood.KeyBTokens, ct)).Succeeded, RecoveryLimit, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _recoveries.Enqueue(new RecoveryTime("stalled readers", "key B stream", recovered));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
