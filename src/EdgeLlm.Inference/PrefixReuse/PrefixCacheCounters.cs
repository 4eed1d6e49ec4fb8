namespace EdgeLlm.Inference.PrefixReuse;

/// <summary>What a model's prefix cache has done since load: written by the scheduler thread, read by metrics and status.</summary>
internal sealed class PrefixCacheCounters
{
    private readonly long[] _evictions = new long[Enum.GetValues<PrefixEviction>().Length];
    private long _hitTokens;
    private long _hits;
    private long _misses;
    private int _entries;
    private long _cells;

    /// <summary>The counters of an engine that keeps no prefixes: all zero.</summary>
    public static PrefixCacheCounters None { get; } = new();

    /// <summary>Prompt tokens started from kept cells instead of being decoded.</summary>
    public long HitTokens => Interlocked.Read(ref _hitTokens);

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Prefixes kept now.</summary>
    public int Entries => Volatile.Read(ref _entries);

    /// <summary>Cells the kept prefixes hold now (counted whole, also where a running sequence shares them).</summary>
    public long Cells => Interlocked.Read(ref _cells);

    public long Evictions(PrefixEviction reason) => Interlocked.Read(ref _evictions[(int)reason]);

    internal void Looked(int reused)
    {
        if (reused > 0)
        {
            Interlocked.Increment(ref _hits);
            Interlocked.Add(ref _hitTokens, reused);
        }
        else
        {
            Interlocked.Increment(ref _misses);
        }
    }

    internal void Evicted(PrefixEviction reason) => Interlocked.Increment(ref _evictions[(int)reason]);

    internal void Holding(int entries, long cells)
    {
        Volatile.Write(ref _entries, entries);
        Interlocked.Exchange(ref _cells, cells);
    }
}
