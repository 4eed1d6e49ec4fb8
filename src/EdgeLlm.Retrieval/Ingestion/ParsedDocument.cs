namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// A document's text as extracted from its format, with its structure: the sections under each heading,
/// in order. Offsets are character positions in <see cref="Text"/>, so a citation can point back.
/// </summary>
public sealed record ParsedDocument(string? Title, string Text, IReadOnlyList<DocumentSection> Sections);

/// <summary>
/// One structural block: the headings above it (outermost first) and its [Start, End) span of the document
/// text. The span is the body under the innermost heading, without the heading's own line (that is in
/// <see cref="HeadingPath"/>); text before any heading has an empty path.
/// </summary>
public sealed record DocumentSection(IReadOnlyList<string> HeadingPath, int Start, int End);

/// <summary>
/// A piece of a document sized for the embedding model, with where it came from: [Start, End) is a span of
/// <see cref="ParsedDocument.Text"/> within one section, and <see cref="Text"/> is that span prefixed with the
/// heading path (see <c>DocumentChunker.HeadingPrefix</c>). <see cref="TokenCount"/> counts <see cref="Text"/>.
/// </summary>
public sealed record DocumentChunk(int Ordinal, string Text, IReadOnlyList<string> HeadingPath, int Start, int End, int TokenCount);

/// <summary>Counts tokens the way the embedding model will (the model's own tokenizer).</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}
