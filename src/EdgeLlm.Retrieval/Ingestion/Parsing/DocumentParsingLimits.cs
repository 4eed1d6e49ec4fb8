namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Bounds on what one uploaded document may cost to parse. Uploads are hostile until parsed: these
/// keep a small or crafted file from exhausting memory, CPU or the stack.
/// </summary>
public sealed record DocumentParsingLimits
{
    /// <summary>Largest upload accepted, in bytes. Default 16 MiB.</summary>
    public long MaxDocumentBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Largest total uncompressed size of a .docx package's parts, in bytes, checked before anything is
    /// decompressed (decompression-bomb guard). Default 128 MiB.
    /// </summary>
    public long MaxDocxUncompressedBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Most parts (zip entries) a .docx package may have. Default 2,000.</summary>
    public int MaxDocxParts { get; init; } = 2_000;

    /// <summary>Most characters in one XML part of a .docx (OpenXml's <c>MaxCharactersInPart</c>). Default 64 Mi.</summary>
    public long MaxDocxPartCharacters { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Deepest nesting accepted in Markdown blocks or .docx XML elements; deeper is
    /// <see cref="DocumentRejection.Malformed"/>. HTML elements deeper than this are kept but attached
    /// as siblings, as browsers do. No real document comes near it. Default 128.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 128;

    /// <summary>
    /// Time HTML parsing may take per MiB of input (at least one MiB's worth). Tree building's work per
    /// tag grows with the number of unclosed elements, so 250 KB of "&lt;div&gt;" would take minutes; a
    /// real page parses at several MiB a second. Over it, the document is
    /// <see cref="DocumentRejection.Malformed"/>. Default 3 seconds.
    /// </summary>
    public TimeSpan HtmlParseTimePerMebibyte { get; init; } = TimeSpan.FromSeconds(3);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDocumentBytes, nameof(MaxDocumentBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDocxUncompressedBytes, nameof(MaxDocxUncompressedBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDocxParts, nameof(MaxDocxParts));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDocxPartCharacters, nameof(MaxDocxPartCharacters));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNestingDepth, 8, nameof(MaxNestingDepth));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HtmlParseTimePerMebibyte, TimeSpan.Zero, nameof(HtmlParseTimePerMebibyte));
    }
}
