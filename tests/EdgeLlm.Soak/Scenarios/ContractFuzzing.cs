using System.Collections.Concurrent;
using EdgeLlm.Soak.Traffic;
using EdgeLlm.Testing.Fuzzing;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// The contract fuzzer (<c>tests/Shared/Fuzzing</c>) run round after round for the whole mix, as key C, each round with
/// the next seed (the first one random, printed, so a failing round can be run again). No round starts after the
/// traffic stops; the one running then may finish until <c>stop</c> (a grace the caller gives, since a valid generation
/// case may wait its turn for up to a minute); one cut short is not counted.
/// </summary>
internal sealed class ContractFuzzing(HttpClient client, string model, string collection)
{
    private const int CasesPerTargetPerRound = 5;
    private const int KeptFailures = 200;

    private readonly ConcurrentDictionary<int, long> _statuses = new();
    private readonly ConcurrentQueue<FuzzFailure> _failures = new();
    private long _failureCount;

    public int FirstSeed { get; } = Random.Shared.Next(1, int.MaxValue / 2);

    public long Cases { get; private set; }

    public int Rounds { get; private set; }

    public long FailureCount => Interlocked.Read(ref _failureCount);

    /// <summary>Answers by status (0: no answer).</summary>
    public IReadOnlyDictionary<int, long> Statuses => _statuses;

    /// <summary>The first failures, each with its target, case, why, and what was sent and answered (truncated).</summary>
    public IReadOnlyCollection<FuzzFailure> Failures => _failures;

    public async Task RunAsync(CancellationToken traffic, CancellationToken stop)
    {
        var targets = FuzzTargets.All(model, collection);
        Console.WriteLine($"soak: fuzzing {targets.Count} targets, {CasesPerTargetPerRound} cases each per round, from seed {FirstSeed}");
        for (var seed = FirstSeed; !traffic.IsCancellationRequested; seed++)
        {
            FuzzReport report;
            try
            {
                report = await ContractFuzzer.RunAsync(client, targets, CasesPerTargetPerRound, seed, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            Rounds++;
            Cases += report.CasesByTarget.Values.Sum();
            foreach (var (status, count) in report.ByStatus)
            {
                _statuses.AddOrUpdate(status, count, (_, n) => n + count);
            }

            // While the soak's disk is full a fuzzed write meets it: 507 insufficient_storage is then the right answer.
            foreach (var failure in report.Failures.Where(f => !RequestLedger.IsStorageRefusal(f.Status, f.Response)))
            {
                Interlocked.Increment(ref _failureCount);
                if (_failures.Count < KeptFailures)
                {
                    _failures.Enqueue(failure with { Why = $"{failure.Why} (seed {seed})" });
                }
            }
        }
    }
}
