namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The requests waiting for a sequence, one queue per API key, owned by the scheduler loop. A freed sequence goes to
/// the waiting key whose tenant, then whose key, holds the fewest sequences (the key served longest ago breaks ties: round
/// robin), within
/// each key's and tenant's share: a flood from one key delays another key by at most one request of the flood.
/// </summary>
internal sealed class FairQueue(SchedulerSettings settings)
{
    private readonly Dictionary<string, KeyShare> _keys = new(StringComparer.Ordinal);

    // The daemon's own requests: bound by no key's share, and never another user that makes the others share.
    private static readonly RequestOwner Daemon = new("\0daemon", "\0daemon");

    private long _starts;

    public int Count { get; private set; }

    public void Enqueue(GenerationJob job, DateTimeOffset now)
    {
        Touch(job.Request.Owner, now).Waiting.Enqueue(job);
        Count++;
    }

    /// <summary>The next request to start, or null when none may (nothing waits, or every waiting key is at its share).</summary>
    public GenerationJob? TakeNext(DateTimeOffset now)
    {
        KeyShare? best = null;
        var bestTenantRunning = 0;
        foreach (var key in _keys.Values.Where(k => k.Waiting.Count > 0))
        {
            var tenantRunning = _keys.Values.Where(k => k.Tenant == key.Tenant).Sum(k => k.Running);
            if (key.Running >= KeyCap(key, now) || tenantRunning >= TenantCap(key.Tenant, now))
            {
                continue;
            }

            var fairer = best is null
                || (tenantRunning != bestTenantRunning ? tenantRunning < bestTenantRunning
                    : key.Running != best.Running ? key.Running < best.Running
                    : key.LastServed < best.LastServed);
            if (fairer)
            {
                (best, bestTenantRunning) = (key, tenantRunning);
            }
        }

        if (best is null)
        {
            return null;
        }

        best.Running++;
        best.LastServed = ++_starts;
        Count--;
        return best.Waiting.Dequeue();
    }

    /// <summary>A started request gave its sequence back.</summary>
    public void Released(RequestOwner? owner, DateTimeOffset now) => Touch(owner, now).Running--;

    /// <summary>Takes out and returns every waiting request <paramref name="ends"/> says must end (cancelled, timed out); forgets keys long gone.</summary>
    public List<GenerationJob> RemoveWhere(Func<GenerationJob, bool> ends, DateTimeOffset now)
    {
        var removed = new List<GenerationJob>();
        foreach (var (name, key) in _keys.ToList())
        {
            if (key.Waiting.Any(ends))
            {
                removed.AddRange(key.Waiting.Where(ends));
                key.Waiting = new Queue<GenerationJob>(key.Waiting.Where(j => !ends(j)));
            }

            if (key.IsGone(now, settings.ShareWindow))
            {
                _keys.Remove(name);
            }
        }

        Count -= removed.Count;
        return removed;
    }

    /// <summary>Every waiting request, emptying the queue (the loop is stopping).</summary>
    public List<GenerationJob> TakeAll()
    {
        var all = _keys.Values.SelectMany(k => k.Waiting).ToList();
        _keys.Clear();
        Count = 0;
        return all;
    }

    /// <summary>Sequences one key may hold: the configured share, or all of them while no other key is present.</summary>
    private int KeyCap(KeyShare key, DateTimeOffset now) =>
        key.IsDaemon ? settings.MaxSequences : settings.MaxSequencesPerKey ?? AutomaticCap(_keys.Values.Any(k => k != key && k.IsPresent(now, settings.ShareWindow)));

    /// <summary>Sequences one tenant's keys may hold together: as for a key, with other tenants' keys as the others.</summary>
    private int TenantCap(string tenant, DateTimeOffset now) =>
        tenant == Daemon.Tenant ? settings.MaxSequences : settings.MaxSequencesPerKey ?? AutomaticCap(_keys.Values.Any(k => k.Tenant != tenant && k.IsPresent(now, settings.ShareWindow)));

    // One sequence stays for the others, so the next request of a second user waits for no one.
    private int AutomaticCap(bool othersPresent) => othersPresent ? Math.Max(1, settings.MaxSequences - 1) : settings.MaxSequences;

    private KeyShare Touch(RequestOwner? owner, DateTimeOffset now)
    {
        owner ??= Daemon;
        if (!_keys.TryGetValue(owner.Key, out var key))
        {
            key = new KeyShare(owner.Tenant, owner == Daemon);
            _keys[owner.Key] = key;
        }

        key.LastActive = now;
        return key;
    }

    private sealed class KeyShare(string tenant, bool isDaemon)
    {
        public string Tenant { get; } = tenant;

        public bool IsDaemon { get; } = isDaemon;

        public Queue<GenerationJob> Waiting { get; set; } = new();

        public int Running { get; set; }

        public DateTimeOffset LastActive { get; set; }

        /// <summary>When the key last had a request started (a count of starts; 0 for never).</summary>
        public long LastServed { get; set; }

        /// <summary>A user that has work, or had some within the window.</summary>
        public bool IsPresent(DateTimeOffset now, TimeSpan window) => !IsDaemon && !IsGone(now, window);

        public bool IsGone(DateTimeOffset now, TimeSpan window) => Running == 0 && Waiting.Count == 0 && now - LastActive >= window;
    }
}
