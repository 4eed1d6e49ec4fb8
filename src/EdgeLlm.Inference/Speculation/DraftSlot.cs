namespace EdgeLlm.Inference.Speculation;

/// <summary>One job's part of a drafting step, kept by the job and reused at every step.</summary>
/// <param name="history">The job's history (prompt and accepted output) and its n-gram index.</param>
/// <param name="maxDrafts">The most drafts any step may ask for (the model's MaxDraftTokens).</param>
internal sealed class DraftSlot(PromptLookupDrafter history, int maxDrafts)
{
    private readonly int[] _drafts = new int[maxDrafts];
    private int _room;
    private int _count;

    public PromptLookupDrafter History { get; } = history;

    /// <summary>How many drafts this step may carry for the job (0: none), set by the scheduler before proposing.</summary>
    public int Room
    {
        get => _room;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _drafts.Length);
            _room = value;
            _count = 0;
        }
    }

    /// <summary>Where the source writes this step's drafts: <see cref="Room"/> tokens.</summary>
    public Span<int> Drafts => _drafts.AsSpan(0, _room);

    /// <summary>How many drafts the source wrote, at most <see cref="Room"/>.</summary>
    public int Count
    {
        get => _count;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _room);
            _count = value;
        }
    }

    /// <summary>This step's drafts, to decode behind the pending token and to verify.</summary>
    public ReadOnlySpan<int> Proposed => _drafts.AsSpan(0, _count);
}
