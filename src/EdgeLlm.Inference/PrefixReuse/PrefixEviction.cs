namespace EdgeLlm.Inference.PrefixReuse;

/// <summary>Why a kept prefix was dropped (the <c>reason</c> of the evictions metric).</summary>
internal enum PrefixEviction
{
    /// <summary>A request being admitted needed its cells.</summary>
    Cells,

    /// <summary>More histories than <c>Inference:PrefixCacheEntries</c> (or a request being admitted needed its sequence id).</summary>
    Entries,

    /// <summary>The kept prefixes held more than <c>Inference:PrefixCacheMaxCells</c>.</summary>
    Cap,

    /// <summary>A newer history starts with at least half of it (with all of it: it extends it).</summary>
    Superseded,

    /// <summary>llama.cpp found no room for a batch; every kept prefix is dropped and the decode retried.</summary>
    NoSlot,
}
