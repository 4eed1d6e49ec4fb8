using System.Text;
using System.Xml;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Streams a document part's paragraphs and tables into a <see cref="DocumentTextBuilder"/>. Takes the
/// visible text only: runs' <c>w:t</c>, tabs and breaks; never deleted text, field codes, property
/// markup or the compatibility fallback copy of a drawing. A paragraph's style or own outline level
/// decides whether it is a heading. Text-box paragraphs come out as paragraphs of their own.
/// </summary>
internal sealed class DocxBodyReader
{
    private sealed class Paragraph(int depth, TableTextBuilder? cellOwner)
    {
        public int Depth { get; } = depth;

        public TableTextBuilder? CellOwner { get; } = cellOwner;

        public StringBuilder Text { get; } = new();

        public string? StyleId { get; set; }

        public int? OutlineLevel { get; set; }
    }

    // Subtrees whose text is not part of what a reader sees.
    private static readonly HashSet<string> SkippedElements = ["del", "moveFrom", "instrText", "delText", "rPr", "sectPr", "footnoteReference", "endnoteReference"];

    private readonly DocumentTextBuilder _builder;
    private readonly DocxStyles _styles;
    private readonly Stack<Paragraph> _paragraphs = new();
    private readonly Stack<TableTextBuilder> _tables = new();
    private int _runDepth;
    private bool _inText;

    private DocxBodyReader(DocumentTextBuilder builder, DocxStyles styles)
    {
        _builder = builder;
        _styles = styles;
    }

    /// <summary>The first Title-styled paragraph's text, if any.</summary>
    public string? Title { get; private set; }

    /// <summary>Reads the part; null when it nests deeper than <paramref name="maxDepth"/>.</summary>
    public static DocxBodyReader? Read(XmlReader reader, DocxStyles styles, DocumentTextBuilder builder, int maxDepth)
    {
        var body = new DocxBodyReader(builder, styles);
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.Depth > maxDepth)
            {
                return null;
            }

            if (reader.NodeType == XmlNodeType.Element && (DocxXml.IsFallback(reader) || (DocxXml.IsWord(reader) && SkippedElements.Contains(reader.LocalName))))
            {
                // Skip() lands on the next node already, so it must not be followed by Read().
                reader.Skip();
                continue;
            }

            body.Visit(reader);
            reader.Read();
        }

        return body;
    }

    private void Visit(XmlReader reader)
    {
        switch (reader.NodeType)
        {
            case XmlNodeType.Element when DocxXml.IsWord(reader):
                Start(reader);
                if (reader.IsEmptyElement)
                {
                    End(reader.LocalName);
                }

                break;
            case XmlNodeType.EndElement when DocxXml.IsWord(reader):
                End(reader.LocalName);
                break;
            case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when _inText:
                Append(reader.Value);
                break;
        }
    }

    private void Start(XmlReader reader)
    {
        var paragraph = _paragraphs.Count > 0 ? _paragraphs.Peek() : null;
        switch (reader.LocalName)
        {
            case "p":
                var cell = _tables.Count > 0 && _tables.Peek().Cell is not null ? _tables.Peek() : null;
                _paragraphs.Push(new Paragraph(reader.Depth, cell));
                break;
            case "pStyle" when paragraph is not null && reader.Depth == paragraph.Depth + 2:
                paragraph.StyleId = DocxXml.Value(reader);
                break;
            case "outlineLvl" when paragraph is not null && reader.Depth == paragraph.Depth + 2:
                paragraph.OutlineLevel = DocxStyles.ParseLevel(DocxXml.Value(reader));
                break;
            case "r":
                _runDepth++;
                break;
            case "t" when _runDepth > 0:
                _inText = true;
                break;
            case "tab" or "ptab" when _runDepth > 0:
                Append(" ");
                break;
            case "br" or "cr" when _runDepth > 0:
                Append("\n");
                break;
            case "noBreakHyphen" when _runDepth > 0:
                Append("-");
                break;
            case "tbl":
                _tables.Push(new TableTextBuilder());
                break;
            case "tr" when _tables.Count > 0:
                _tables.Peek().StartRow();
                break;
            case "tc" when _tables.Count > 0:
                _tables.Peek().StartCell();
                break;
        }
    }

    private void End(string localName)
    {
        switch (localName)
        {
            case "p" when _paragraphs.Count > 0:
                EndParagraph(_paragraphs.Pop());
                break;
            case "r" when _runDepth > 0:
                _runDepth--;
                break;
            case "t":
                _inText = false;
                break;
            case "tc" when _tables.Count > 0:
                _tables.Peek().EndCell();
                break;
            case "tbl" when _tables.Count > 0:
                var table = _tables.Pop();
                if (_tables.Count > 0 && _tables.Peek().Cell is { } outerCell)
                {
                    outerCell.Append(' ').Append(table.ToInline()).Append(' ');
                }
                else
                {
                    _builder.AppendParagraph(table.ToLines());
                }

                break;
        }
    }

    private void Append(string text)
    {
        if (_paragraphs.Count > 0)
        {
            _paragraphs.Peek().Text.Append(text);
        }
    }

    private void EndParagraph(Paragraph paragraph)
    {
        var text = paragraph.Text.ToString();
        if (paragraph.CellOwner?.Cell is { } cell)
        {
            cell.Append(' ').Append(text);
            return;
        }

        // A paragraph's own outline level overrides its style's, including 9, "body text".
        var level = paragraph.OutlineLevel is { } outline ? DocxStyles.OutlineToHeading(outline) : _styles.HeadingLevel(paragraph.StyleId);
        if (level is null)
        {
            _builder.AppendParagraph(text);
            return;
        }

        if (level == DocxStyles.TitleLevel && !string.IsNullOrWhiteSpace(text))
        {
            Title ??= text;
        }

        _builder.AppendHeading(level.Value, text);
    }
}
