namespace EdgeLlm.Inference.PrefixReuse;

/// <summary>
/// Keeps the KV cells of finished sequences (their token histories, positions 0..n-1) in the context, each under a
/// sequence id of its own, and starts a new sequence from the longest kept history its prompt begins with: the cells
/// are shared through <see cref="IKvMemory.Copy"/> and only the rest of the prompt is decoded (the kept history is cut
/// back to what the two share).
/// Running work always comes first. Every running sequence reserves its prompt plus its completion limit, and a kept
/// history counts whole against the context's cells even where a running sequence shares them, so the count is never
/// below what is in use; a start that would exceed the cells drops kept histories, least recently used first, until
/// it fits, which always suffices because the reservations alone fit the context. The match is copied before that,
/// so dropping the very history a request matched leaves the request its cells.
/// Used only by the scheduler's thread.
/// </summary>
internal sealed class PrefixCache
{
    private readonly IKvMemory _memory;
    private readonly PrefixCacheSettings _settings;
    private readonly Stack<int> _freeIds;
    private readonly List<Entry> _entries = [];
    private long _reserved;
    private long _keptCells;
    private long _clock;

    public PrefixCache(IKvMemory memory, PrefixCacheSettings settings)
    {
        _memory = memory;
        _settings = settings;
        _freeIds = new Stack<int>(Enumerable.Range(0, settings.SequenceIds).Reverse());
    }

    public PrefixCacheCounters Counters { get; } = new();

    public bool Enabled => _settings.Entries > 0;

    /// <summary>The kept histories' ids and lengths, for status and leak checks.</summary>
    public IReadOnlyList<(int Id, int Length)> Kept => [.. _entries.Select(e => (e.Id, e.Tokens.Length))];

    /// <summary>Cells reserved by running sequences.</summary>
    public long ReservedCells => _reserved;

    /// <summary>
    /// Takes a sequence id for a request with <paramref name="prompt"/> that may hold up to <paramref name="reservation"/>
    /// cells, sharing the longest kept history it begins with (backed off one token on a full match, so the last prompt
    /// token is decoded and gives logits). Null when every id is running.
    /// </summary>
    public PrefixStart? Start(ReadOnlySpan<int> prompt, int reservation)
    {
        if (!TakeId(out var id))
        {
            return null;
        }

        var reused = 0;
        if (Enabled && Longest(prompt) is { } match)
        {
            reused = Math.Min(match.Length, prompt.Length - 1);
            if (reused >= _settings.MinTokens)
            {
                _memory.Copy(match.Entry.Id, id, reused);
                match.Entry.LastUsed = ++_clock;
                CutToShared(match.Entry, match.Length);
            }
            else
            {
                reused = 0;
            }
        }

        if (Enabled)
        {
            Counters.Looked(reused);
        }

        _reserved += reservation;
        while (_keptCells + _reserved > _settings.TotalCells && _entries.Count > 0)
        {
            Evict(LeastRecent(), PrefixEviction.Cells);
        }

        Publish();
        return new PrefixStart(id, reused);
    }

    /// <summary>
    /// Ends a running sequence that reserved <paramref name="reservation"/> cells and holds <paramref name="history"/>:
    /// kept for later requests when <paramref name="keep"/> and worth it, else its cells and id are freed.
    /// </summary>
    public void End(int id, int reservation, ReadOnlySpan<int> history, bool keep)
    {
        _reserved -= reservation;
        if (!keep || !Enabled || history.Length < _settings.MinTokens || history.Length > _settings.MaxCells || Covers(history))
        {
            Free(id);
            Publish();
            return;
        }

        // A kept history that shares at least half of itself with this one is mostly the same cells under another
        // id: the newer one replaces it (the shared start stays reusable), so sibling answers to one system prompt do
        // not pile up and lengthen the stretch of cache every running token attends over.
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (2 * history.CommonPrefixLength(_entries[i].Tokens) >= _entries[i].Tokens.Length)
            {
                Evict(_entries[i], PrefixEviction.Superseded);
            }
        }

        _entries.Add(new Entry(id, history.ToArray()) { LastUsed = ++_clock });
        _keptCells += history.Length;
        while (_keptCells > _settings.MaxCells || _entries.Count > _settings.Entries)
        {
            Evict(LeastRecent(), _entries.Count > _settings.Entries ? PrefixEviction.Entries : PrefixEviction.Cap);
        }

        Publish();
    }

    /// <summary>Cuts a running sequence back to its first <paramref name="length"/> positions (rejected drafts).</summary>
    public void Trim(int id, int length) => _memory.Trim(id, length);

    /// <summary>Drops every kept history; true when there was one.</summary>
    public bool EvictAll(PrefixEviction reason)
    {
        var any = _entries.Count > 0;
        while (_entries.Count > 0)
        {
            Evict(_entries[^1], reason);
        }

        Publish();
        return any;
    }

    private bool TakeId(out int id)
    {
        if (_freeIds.TryPop(out id))
        {
            return true;
        }

        if (_entries.Count == 0)
        {
            return false;
        }

        Evict(LeastRecent(), PrefixEviction.Entries);
        return _freeIds.TryPop(out id);
    }

    /// <summary>True when a kept history already holds all of <paramref name="history"/> (keeping it too would add nothing).</summary>
    private bool Covers(ReadOnlySpan<int> history)
    {
        foreach (var entry in _entries)
        {
            if (entry.Tokens.AsSpan().StartsWith(history))
            {
                entry.LastUsed = ++_clock;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Cuts a kept history that a prompt left at <paramref name="shared"/> tokens back to them. Its own tail would
    /// only lengthen the stretch of cache every token of the new sequence attends over (in a unified cache each step
    /// spans every cell up to the highest one in use), which costs decode speed on the CPU; the start both share stays
    /// kept, and the new sequence's history, which begins with it, replaces it when it ends.
    /// </summary>
    private void CutToShared(Entry entry, int shared)
    {
        if (shared >= entry.Tokens.Length)
        {
            return;
        }

        _memory.Trim(entry.Id, shared);
        _keptCells -= entry.Tokens.Length - shared;
        entry.Tokens = entry.Tokens[..shared];
    }

    /// <summary>The kept history sharing the longest start with <paramref name="prompt"/>; the most recent among equals.</summary>
    private (Entry Entry, int Length)? Longest(ReadOnlySpan<int> prompt)
    {
        (Entry Entry, int Length)? best = null;
        foreach (var entry in _entries)
        {
            var length = prompt.CommonPrefixLength(entry.Tokens);
            if (length > 0 && (best is null || length > best.Value.Length || (length == best.Value.Length && entry.LastUsed > best.Value.Entry.LastUsed)))
            {
                best = (entry, length);
            }
        }

        return best;
    }

    private Entry LeastRecent() => _entries.MinBy(e => e.LastUsed)!;

    private void Evict(Entry entry, PrefixEviction reason)
    {
        _entries.Remove(entry);
        _keptCells -= entry.Tokens.Length;
        Free(entry.Id);
        Counters.Evicted(reason);
    }

    private void Free(int id)
    {
        _memory.Trim(id, 0);
        _freeIds.Push(id);
    }

    private void Publish() => Counters.Holding(_entries.Count, _keptCells);

    private sealed class Entry(int id, int[] tokens)
    {
        public int Id { get; } = id;

        public int[] Tokens { get; set; } = tokens;

        public long LastUsed { get; set; }
    }
}
