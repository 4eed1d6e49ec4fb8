namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Plain text has no headings to trust, so it is one untitled section of paragraphs (blocks separated by
/// blank lines), each kept line by line.
/// </summary>
internal static class PlainTextDocumentParser
{
    // A first line this short reads as a title ("Gateway firmware changelog"); a longer one is prose.
    private const int MaxTitleLength = 100;

    public static ParsedDocument Parse(string text)
    {
        var builder = new DocumentTextBuilder();
        builder.AppendPreformatted(text);
        var document = builder.Build(title: null);
        var firstLineEnd = document.Text.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (firstLineEnd < 0 ? document.Text : document.Text[..firstLineEnd]).Trim();
        return firstLine.Length is > 0 and <= MaxTitleLength ? document with { Title = firstLine } : document;
    }
}
