namespace EdgeLlm.Retrieval.Ingestion.Chunking;

/// <summary>
/// Splits a <see cref="ParsedDocument"/> into chunks sized for the embedding model. Structure first: a
/// chunk never spans two sections, and within a section whole paragraphs are packed greedily, so tiny
/// adjacent paragraphs share a chunk. Only a paragraph too long for one chunk is cut: at a line end if
/// one fits, else at a word end, and only inside a word when a single word exceeds the budget; the next
/// chunk then repeats about <see cref="DocumentChunkerOptions.OverlapTokens"/> of the text before the cut.
/// </summary>
/// <remarks>
/// <para>
/// Each chunk's <see cref="DocumentChunk.Start"/> and <see cref="DocumentChunk.End"/> are a [start, end)
/// range of <see cref="ParsedDocument.Text"/>, trimmed of whitespace, and its text is exactly
/// <c><see cref="HeadingPrefix"/>(HeadingPath) + Text[Start..End]</c>: the heading path gives the
/// embedding the context a reader has from the page. When the prefix alone would take more than half of
/// <see cref="DocumentChunkerOptions.MaxTokens"/>, it is left out and the text is the span alone.
/// </para>
/// <para>
/// <see cref="DocumentChunk.TokenCount"/> is the counter's count of the whole chunk text, which never
/// exceeds MaxTokens (the one exception would be a single character that alone exceeds half the budget,
/// which no real tokenizer produces). The counter is called O(log n) times per chunk, not per character.
/// </para>
/// </remarks>
public sealed class DocumentChunker
{
    private const string HeadingSeparator = " > ";

    private readonly ITokenCounter _tokenCounter;
    private readonly DocumentChunkerOptions _options;

    /// <exception cref="ArgumentOutOfRangeException">The options are inconsistent (see <see cref="DocumentChunkerOptions"/>).</exception>
    public DocumentChunker(ITokenCounter tokenCounter, DocumentChunkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenCounter);
        _tokenCounter = tokenCounter;
        _options = options ?? new DocumentChunkerOptions();
        _options.Validate();
    }

    /// <summary>The prefix a chunk's text carries: the heading path joined by " > " and a blank line; empty without headings.</summary>
    public static string HeadingPrefix(IReadOnlyList<string> headingPath)
    {
        ArgumentNullException.ThrowIfNull(headingPath);
        return headingPath.Count == 0 ? "" : string.Join(HeadingSeparator, headingPath) + "\n\n";
    }

    /// <summary>The document's chunks in reading order, numbered from 0.</summary>
    /// <exception cref="ArgumentException">A section's span lies outside the document's text.</exception>
    public IReadOnlyList<DocumentChunk> Chunk(ParsedDocument document) => Chunk(document, int.MaxValue);

    /// <summary>
    /// The document's chunks as <see cref="Chunk(ParsedDocument)"/> gives them, but it stops after the section in
    /// which the count passes <paramref name="maxChunks"/>: a document that will be refused for its size is not chunked whole.
    /// </summary>
    /// <exception cref="ArgumentException">A section's span lies outside the document's text.</exception>
    public IReadOnlyList<DocumentChunk> Chunk(ParsedDocument document, int maxChunks)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<DocumentChunk>();
        foreach (var section in document.Sections)
        {
            if (section.Start < 0 || section.End < section.Start || section.End > document.Text.Length)
            {
                throw new ArgumentException($"Section [{section.Start}, {section.End}) lies outside the text of length {document.Text.Length}.", nameof(document));
            }

            var prefix = HeadingPrefix(section.HeadingPath);
            if (prefix.Length > 0 && _tokenCounter.CountTokens(prefix) > _options.MaxTokens / 2)
            {
                prefix = "";
            }

            new SectionChunker(document.Text, section, prefix, _tokenCounter, _options, chunks).Run();
            if (chunks.Count > maxChunks)
            {
                break;
            }
        }

        return chunks;
    }
}
