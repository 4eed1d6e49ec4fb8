namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// The contract fuzzer (<c>tests/Shared/Fuzzing</c>, from branch <c>input</c>) run round after round, each with a new
/// seed, for the whole mix, as key A. HOOK: until that fuzzer is on this tree the soak cannot run it;
/// <see cref="Wired"/> is false and the report says so, as a failed goal rather than a silent pass.
/// </summary>
internal sealed class ContractFuzzing(HttpClient client, string model, string collection)
{
    public bool Wired => false;

    public long Cases { get; private set; }

    public int Rounds { get; private set; }

    public IReadOnlyDictionary<int, long> Statuses { get; } = new Dictionary<int, long>();

    /// <summary>Each failure the fuzzer reported: target, why, and what was sent and answered (truncated).</summary>
    public IReadOnlyList<string> Failures { get; } = [];

    public Task RunAsync(CancellationToken cancellationToken)
    {
        _ = (client, model, collection, cancellationToken, Cases, Rounds);
        return Task.CompletedTask;
    }
}
