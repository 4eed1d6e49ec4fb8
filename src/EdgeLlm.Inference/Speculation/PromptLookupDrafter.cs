namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// One job's token history (prompt, then accepted output) and an n-gram index over it, for prompt-lookup drafting:
/// when the last n tokens occurred earlier, the tokens that followed them there are a cheap guess of what comes next
/// (code edits, quoted documents, JSON keys, repeated phrasing).
/// </summary>
/// <remarks>
/// For each n in [ngramMin, ngramMax] the index maps the hash of n tokens to the latest end position where they were
/// followed by a token. <see cref="Append(int)"/> costs O(ngramMax) (the hashes of all lengths come from one backward
/// fold), <see cref="Propose"/> one lookup per n, so a workload with nothing to copy pays a few hash lookups per token.
/// A lookup compares the actual tokens, so a hash collision can lose a match but never proposes wrong context.
/// Memory: the history is bounded by the job's context (prompt plus output never exceed the context size, which the
/// scheduler enforces), and each index holds at most one entry per history position: some 30 bytes per token and
/// n-gram length, a few hundred KiB for a 4,096-token context with n in 2..4.
/// Used from the scheduler's thread only.
/// </remarks>
internal sealed class PromptLookupDrafter
{
    private readonly int _ngramMin;
    private readonly Dictionary<ulong, int>[] _index;
    private readonly TokenMix _mix;
    private readonly ulong[] _suffixHashes;
    private int[] _history = new int[64];
    private int _count;

    public PromptLookupDrafter(int ngramMin, int ngramMax)
        : this(ngramMin, ngramMax, Mix)
    {
    }

    /// <summary>With another hash step: tests use a colliding one to show that a collision never proposes wrong context.</summary>
    internal PromptLookupDrafter(int ngramMin, int ngramMax, TokenMix mix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ngramMin, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ngramMax, ngramMin);
        _ngramMin = ngramMin;
        _mix = mix;
        _suffixHashes = new ulong[ngramMax];
        _index = new Dictionary<ulong, int>[ngramMax - ngramMin + 1];
        for (var i = 0; i < _index.Length; i++)
        {
            _index[i] = [];
        }
    }

    /// <summary>One step of the n-gram hash: folds a token into the hash of the tokens after it.</summary>
    internal delegate ulong TokenMix(ulong hash, int token);

    /// <summary>History length: prompt tokens plus accepted output tokens.</summary>
    public int Count => _count;

    /// <summary>The history, oldest first (what a draft model would be fed).</summary>
    public ReadOnlySpan<int> Tokens => _history.AsSpan(0, _count);

    private int NgramMax => _ngramMin + _index.Length - 1;

    /// <summary>Adds prompt tokens or accepted output to the history.</summary>
    public void Append(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            Append(token);
        }
    }

    /// <summary>Adds one token to the history.</summary>
    public void Append(int token)
    {
        if (_count == _history.Length)
        {
            Array.Resize(ref _history, _history.Length * 2);
        }

        // The n-grams ending just before the new token now have a continuation: index them at this end position.
        // The n-grams ending at the new token are indexed by the next Append, so a lookup of the history's own
        // suffix can only find an earlier occurrence.
        var end = _count;
        _history[_count++] = token;
        var hash = 0UL;
        for (var n = 1; n <= Math.Min(NgramMax, end); n++)
        {
            hash = _mix(hash, _history[end - n]);
            if (n >= _ngramMin)
            {
                _index[n - _ngramMin][hash] = end;
            }
        }
    }

    /// <summary>
    /// Copies into <paramref name="into"/> the tokens that followed the latest earlier occurrence of the history's
    /// last n tokens, trying the longest n first, filling <c>into</c> (past the end of the history the copy repeats
    /// what it copied). Returns how many were copied: 0 when no suffix occurred before.
    /// </summary>
    public int Propose(Span<int> into)
    {
        if (into.IsEmpty)
        {
            return 0;
        }

        var longest = Math.Min(NgramMax, _count - 1);
        if (longest < _ngramMin)
        {
            return 0;
        }

        var hashes = _suffixHashes;
        var hash = 0UL;
        for (var n = 1; n <= longest; n++)
        {
            hash = _mix(hash, _history[_count - n]);
            hashes[n - 1] = hash;
        }

        for (var n = longest; n >= _ngramMin; n--)
        {
            if (_index[n - _ngramMin].TryGetValue(hashes[n - 1], out var end) && SameTokens(end, n))
            {
                // The copy may run into its own drafts: text that repeats with period _count - end goes on repeating
                // (a list, a table row, a loop), so a match near the end still fills the room.
                for (var i = 0; i < into.Length; i++)
                {
                    var from = end + i;
                    into[i] = from < _count ? _history[from] : into[from - _count];
                }

                return into.Length;
            }
        }

        return 0;
    }

    /// <summary>Whether the n tokens ending at <paramref name="end"/> equal the history's last n tokens.</summary>
    private bool SameTokens(int end, int n) =>
        _history.AsSpan(end - n, n).SequenceEqual(_history.AsSpan(_count - n, n));

    /// <summary>A 64-bit mixing step (splitmix64's finaliser over hash and token) so nearby token ids spread apart.</summary>
    private static ulong Mix(ulong hash, int token)
    {
        var x = (hash ^ (uint)token) + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
