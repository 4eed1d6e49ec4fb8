using System.Text;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Accumulates a document's text block by block and records its sections. Blocks (headings, paragraphs,
/// tables, code) are separated by exactly one blank line ("\n\n"), lines inside a block by "\n". A heading
/// is written into the text as its own block but belongs to no section: a section's span is the body
/// under the heading, and the heading is in the section's heading path.
/// </summary>
internal sealed class DocumentTextBuilder
{
    // A "heading" longer than this is a paragraph styled as a heading; cut it so that heading paths,
    // which prefix every chunk, stay short.
    private const int MaxHeadingLength = 200;

    private readonly StringBuilder _text = new();
    private readonly List<DocumentSection> _sections = [];
    private readonly List<(int Level, string Text)> _headings = [];
    private int _sectionStart = -1;
    private int _sectionEnd;

    /// <summary>The first heading at level 1 or above (a title-styled one is level 0); a fallback title.</summary>
    public string? FirstTopHeading { get; private set; }

    /// <summary>Opens a section under <paramref name="text"/>, nested below the open headings of lower level.</summary>
    public void AppendHeading(int level, string text)
    {
        var heading = TextNormalizer.SingleLine(text);
        if (heading.Length == 0)
        {
            return;
        }

        if (heading.Length > MaxHeadingLength)
        {
            var cut = heading.LastIndexOf(' ', MaxHeadingLength);
            heading = heading[..(cut > 0 ? cut : MaxHeadingLength)];
        }

        CloseSection();
        while (_headings.Count > 0 && _headings[^1].Level >= level)
        {
            _headings.RemoveAt(_headings.Count - 1);
        }

        _headings.Add((level, heading));
        AppendBlock(heading);
        if (level <= 1)
        {
            FirstTopHeading ??= heading;
        }
    }

    /// <summary>A paragraph of prose; '\n' in <paramref name="text"/> marks line breaks to keep (list items, table rows).</summary>
    public void AppendParagraph(string text) => AppendBody(TextNormalizer.Prose(text));

    /// <summary>A block whose line breaks and indentation matter (code, plain text).</summary>
    public void AppendPreformatted(string text) => AppendBody(TextNormalizer.Preformatted(text));

    public ParsedDocument Build(string? title)
    {
        CloseSection();
        var cleanTitle = title is null ? null : TextNormalizer.SingleLine(title);
        return new ParsedDocument(string.IsNullOrEmpty(cleanTitle) ? null : cleanTitle, _text.ToString(), _sections.ToArray());
    }

    private void AppendBody(string block)
    {
        if (block.Length == 0)
        {
            return;
        }

        var start = AppendBlock(block);
        if (_sectionStart < 0)
        {
            _sectionStart = start;
        }

        _sectionEnd = _text.Length;
    }

    private int AppendBlock(string block)
    {
        if (_text.Length > 0)
        {
            _text.Append("\n\n");
        }

        var start = _text.Length;
        _text.Append(block);
        return start;
    }

    private void CloseSection()
    {
        if (_sectionStart >= 0)
        {
            _sections.Add(new DocumentSection(_headings.Select(h => h.Text).ToArray(), _sectionStart, _sectionEnd));
        }

        _sectionStart = -1;
    }
}
