namespace EdgeLlm.Retrieval.Ingestion.Chunking;

/// <summary>How <see cref="DocumentChunker"/> sizes chunks, in the embedding model's tokens.</summary>
public sealed record DocumentChunkerOptions
{
    /// <summary>
    /// Most tokens in a chunk's <see cref="DocumentChunk.Text"/>, heading prefix included; never exceeded.
    /// Keep it at or below the embedding model's context. Default 256; at least 16.
    /// </summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>
    /// Tokens of text repeated at the start of the next chunk when a paragraph has to be cut, so a sentence
    /// across the cut is whole in one of them. Cuts between paragraphs need none. Default 32; below MaxTokens / 2.
    /// </summary>
    public int OverlapTokens { get; init; } = 32;

    /// <summary>
    /// Fewest tokens of body text in a chunk that continues a cut paragraph: a shorter remainder starts
    /// earlier instead, overlapping its predecessor more, rather than embedding a scrap. Default 48; at
    /// most MaxTokens / 2.
    /// </summary>
    public int MinTokens { get; init; } = 48;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 16, nameof(MaxTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(OverlapTokens, nameof(OverlapTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(OverlapTokens, MaxTokens / 2, nameof(OverlapTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(MinTokens, nameof(MinTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinTokens, MaxTokens / 2, nameof(MinTokens));
    }
}
