using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// What each side of a policy canary did to the requests it screened, for the rollout's judge: requests screened,
/// requests blocked, requests whose guard model gave no verdict, each at the time its request was screened. Recorded
/// only while a canary runs, the oldest dropped past <see cref="Capacity"/> so a long trial on a busy device stays bounded.
/// </summary>
public sealed class PolicyOutcomes(TimeProvider time)
{
    /// <summary>About 16 MB of entries: days of windows at tens of requests per second.</summary>
    public const int Capacity = 1_000_000;

    private readonly Lock _lock = new();
    private readonly Queue<Entry> _entries = new();

    /// <summary>The requests of <paramref name="side"/> in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public PolicyWindow Window(PolicySide side, DateTimeOffset from, DateTimeOffset to)
    {
        var (requests, blocked, failed) = (0, 0, 0);
        lock (_lock)
        {
            foreach (var entry in _entries)
            {
                if (entry.Side != side || entry.Ticks < from.UtcTicks || entry.Ticks >= to.UtcTicks)
                {
                    continue;
                }

                switch (entry.Kind)
                {
                    case OutcomeKind.Screened:
                        requests++;
                        break;
                    case OutcomeKind.Blocked:
                        blocked++;
                        break;
                    default:
                        failed++;
                        break;
                }
            }
        }

        return new PolicyWindow(requests, blocked, failed);
    }

    /// <summary>Forgets every entry: a new trial starts from nothing.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>
    /// Records an outcome at <paramref name="at"/> (UTC ticks; default now) and returns that time. A request's block
    /// or guard failure is recorded at the time it was screened, so a window never counts a block whose request fell
    /// in the window before (which would put a share above or below what the requests did).
    /// </summary>
    internal long Add(PolicySide side, OutcomeKind kind, long? at = null)
    {
        var entry = new Entry(at ?? time.GetUtcNow().UtcTicks, side, kind);
        lock (_lock)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }

        return entry.Ticks;
    }

    internal enum OutcomeKind : byte
    {
        Screened,
        Blocked,
        GuardFailed,
    }

    private readonly record struct Entry(long Ticks, PolicySide Side, OutcomeKind Kind);
}

/// <summary>One side's window: requests screened, how many of them were blocked, and how many had no guard verdict.</summary>
public sealed record PolicyWindow(int Requests, int Blocked, int GuardFailures);
