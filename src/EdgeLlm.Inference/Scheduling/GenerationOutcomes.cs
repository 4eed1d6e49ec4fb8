namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The last <see cref="Capacity"/> generation outcomes of one scheduler, oldest overwritten first: enough for a canary
/// rollout's comparison windows, bounded whatever the traffic. Written by the scheduler's loop, read from any thread.
/// </summary>
public sealed class GenerationOutcomes
{
    /// <summary>Outcomes kept; at 100 requests a second, the last 100 seconds.</summary>
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly GenerationOutcome[] _ring;
    private readonly TimeProvider _time;
    private long _written;

    public GenerationOutcomes(int capacity = Capacity, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new GenerationOutcome[capacity];
        _time = time ?? TimeProvider.System;
    }

    public void Add(GenerationOutcome outcome)
    {
        lock (_gate)
        {
            _ring[_written++ % _ring.Length] = outcome;
        }
    }

    /// <summary>
    /// An answer of this scheduler's the output guardrails blocked now (a guard's verdict or a blocking rule), so a
    /// canary's comparison counts it: <paramref name="generationRecorded"/> when its generation had ended and was
    /// recorded before the block (the entry then only marks it), false when the block cut it short (a cancelled
    /// generation is not recorded, so the entry is the request).
    /// </summary>
    public void AddBlocked(bool generationRecorded) =>
        Add(new GenerationOutcome(_time.GetUtcNow(), Failed: false, null, null, Blocked: true, MarksRecorded: generationRecorded));

    /// <summary>The kept outcomes that ended in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public IReadOnlyList<GenerationOutcome> Between(DateTimeOffset from, DateTimeOffset to)
    {
        var found = new List<GenerationOutcome>();
        lock (_gate)
        {
            var kept = Math.Min(_written, _ring.Length);
            for (var i = _written - kept; i < _written; i++)
            {
                var outcome = _ring[i % _ring.Length];
                if (outcome.EndedAt >= from && outcome.EndedAt < to)
                {
                    found.Add(outcome);
                }
            }
        }

        return found;
    }
}
