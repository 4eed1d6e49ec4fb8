namespace EdgeLlm.Inference.PrefixReuse;

/// <summary>A sequence started by <see cref="PrefixCache.Start"/>: its id and how many of its prompt's first tokens are already in its cells.</summary>
internal readonly record struct PrefixStart(int Id, int ReusedTokens);
