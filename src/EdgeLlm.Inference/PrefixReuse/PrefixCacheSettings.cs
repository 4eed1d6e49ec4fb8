namespace EdgeLlm.Inference.PrefixReuse;

/// <summary>How one model's context keeps prefixes.</summary>
/// <param name="RunningSequences">Sequences decoded together (ids 0..RunningSequences+Entries-1 are shared by running sequences and kept prefixes).</param>
/// <param name="Entries">Kept prefixes at most; 0: no reuse (a finished sequence's cells are freed at once).</param>
/// <param name="MaxCells">Cells the kept prefixes may hold together.</param>
/// <param name="MinTokens">Shortest history worth keeping, and shortest match worth reusing.</param>
/// <param name="TotalCells">The context's cells (running sequences' reservations are never more).</param>
internal sealed record PrefixCacheSettings(int RunningSequences, int Entries, int MaxCells, int MinTokens, int TotalCells)
{
    public int SequenceIds => RunningSequences + Entries;

    public static PrefixCacheSettings Off(int runningSequences, int totalCells) => new(runningSequences, 0, 0, int.MaxValue, totalCells);
}
