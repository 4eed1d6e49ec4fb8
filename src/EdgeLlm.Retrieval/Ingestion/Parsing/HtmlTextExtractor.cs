using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Extracts the readable text of an HTML tree the way a browser would lay it out: block elements break
/// paragraphs, list items and table rows become lines (cells joined by " | "), h1-h6 open sections.
/// Scripts, styles, templates, navigation, embedded media and hidden elements are dropped; comments
/// never reach the text. The walk uses an explicit stack, not recursion.
/// </summary>
internal sealed class HtmlTextExtractor
{
    private static readonly HashSet<string> DroppedElements =
    [
        "head", "script", "style", "noscript", "template", "nav", "svg", "math", "canvas",
        "iframe", "object", "embed", "audio", "video", "select", "datalist",
    ];

    private static readonly HashSet<string> BlockElements =
    [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "details", "dialog", "div",
        "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "legend",
        "main", "p", "search", "section", "summary",

        // Structure that is only a boundary where it occurs (a heading in a cell, a row outside a table).
        "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "pre",
    ];

    private enum Exit { Inline, Block, Heading, Table, NestedTable, Cell, Pre, List, ListItem }

    private readonly DocumentTextBuilder _builder;
    private readonly StringBuilder _paragraph = new();
    private readonly Stack<StringBuilder> _sinks = new();
    private readonly Stack<TableTextBuilder> _tables = new();
    private int _headingLevel;
    private int _listDepth;
    private int _preDepth;

    private HtmlTextExtractor(DocumentTextBuilder builder)
    {
        _builder = builder;
        _sinks.Push(_paragraph);
    }

    /// <summary>Parses a whole HTML document. No browsing context: nothing is fetched, nothing runs.</summary>
    /// <exception cref="DocumentLimitExceededException">Parsing ran past its time allowance.</exception>
    public static ParsedDocument ParseDocument(string html, DocumentParsingLimits limits)
    {
        using var document = Parser(limits, ParseDeadline.For(html.Length, limits)).ParseDocument(html);
        var builder = new DocumentTextBuilder();
        new HtmlTextExtractor(builder).Extract(document.DocumentElement);
        var title = string.IsNullOrWhiteSpace(document.Title) ? builder.FirstTopHeading : document.Title;
        return builder.Build(title);
    }

    /// <summary>Extracts an HTML fragment (a raw HTML block in Markdown) into an existing document.</summary>
    /// <exception cref="DocumentLimitExceededException">Parsing ran past the whole document's <paramref name="deadline"/>.</exception>
    public static void ExtractFragment(string html, DocumentTextBuilder builder, DocumentParsingLimits limits, ParseDeadline deadline)
    {
        using var document = Parser(limits, deadline).ParseDocument(html);
        new HtmlTextExtractor(builder).Extract(document.DocumentElement);
    }

    /// <summary>The text of an HTML fragment on one line.</summary>
    /// <exception cref="DocumentLimitExceededException">Parsing ran past the whole document's <paramref name="deadline"/>.</exception>
    public static string PlainText(string html, DocumentParsingLimits limits, ParseDeadline deadline)
    {
        var builder = new DocumentTextBuilder();
        ExtractFragment(html, builder, limits, deadline);
        return TextNormalizer.SingleLine(builder.Build(title: null).Text);
    }

    // The depth cap keeps the DOM shallow enough for any walk (AngleSharp attaches deeper elements as
    // siblings, as browsers do), but the tree builder's work per tag still grows with the number of
    // unclosed elements, so the deadline is checked at every token.
    private static HtmlParser Parser(DocumentParsingLimits limits, ParseDeadline deadline) => new(new HtmlParserOptions
    {
        MaximumDepth = limits.MaxNestingDepth,
        OnToken = (_, _) => deadline.Check(),
    });

    private bool InHeading => _headingLevel > 0;

    private bool InCell => _tables.Count > 0 && _tables.Peek().Cell is not null;

    private void Extract(INode root)
    {
        var stack = new Stack<(INode Node, Exit? Exit)>();
        stack.Push((root, null));
        while (stack.Count > 0)
        {
            var (node, exit) = stack.Pop();
            if (exit is { } action)
            {
                Leave(action);
            }
            else if (node is IText text)
            {
                AppendText(text.Data);
            }
            else if (node is IElement element && !IsDropped(element))
            {
                stack.Push((element, Enter(element)));

                // Last child first, so that they come off the stack in document order.
                var children = element.ChildNodes;
                for (var i = children.Length - 1; i >= 0; i--)
                {
                    stack.Push((children[i], null));
                }
            }
        }

        Flush();
    }

    private Exit Enter(IElement element)
    {
        var name = element.LocalName;
        if (InHeading)
        {
            // Inside a heading everything is heading text; structure would only tear it apart.
            Space();
            return Exit.Block;
        }

        switch (name)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6" when !InCell:
                Flush();
                _headingLevel = name[1] - '0';
                _sinks.Push(new StringBuilder());
                return Exit.Heading;
            case "table" when InCell:
                _tables.Push(new TableTextBuilder());
                return Exit.NestedTable;
            case "table":
                Flush();
                _tables.Push(new TableTextBuilder());
                return Exit.Table;
            case "tr" when _tables.Count > 0 && !InCell:
                _tables.Peek().StartRow();
                return Exit.Inline;
            case "td" or "th" when _tables.Count > 0 && !InCell:
                _tables.Peek().StartCell();
                _sinks.Push(_tables.Peek().Cell!);
                return Exit.Cell;
            case "br":
                LineBreak();
                return Exit.Inline;
            case "pre" when !InCell:
                Flush();
                _preDepth++;
                return Exit.Pre;
            case "ul" or "ol" or "dl" or "menu":
                Boundary();
                _listDepth++;
                return Exit.List;
            case "li" or "dt" or "dd":
                LineBreak();
                return Exit.ListItem;
            default:
                if (BlockElements.Contains(name))
                {
                    Boundary();
                    return Exit.Block;
                }

                return Exit.Inline;
        }
    }

    private void Leave(Exit exit)
    {
        switch (exit)
        {
            case Exit.Heading:
                _builder.AppendHeading(_headingLevel, _sinks.Pop().ToString());
                _headingLevel = 0;
                break;
            case Exit.Table:
                _builder.AppendParagraph(_tables.Pop().ToLines());
                break;
            case Exit.NestedTable:
                _sinks.Peek().Append(' ').Append(_tables.Pop().ToInline()).Append(' ');
                break;
            case Exit.Cell:
                _sinks.Pop();
                _tables.Peek().EndCell();
                break;
            case Exit.Pre:
                Flush();
                _preDepth--;
                break;
            case Exit.List:
                _listDepth--;
                Boundary();
                break;
            case Exit.ListItem:
                LineBreak();
                break;
            case Exit.Block:
                Boundary();
                break;
        }
    }

    private void AppendText(string data)
    {
        var sink = _sinks.Peek();
        if (_preDepth > 0 && sink == _paragraph)
        {
            sink.Append(data);
            return;
        }

        // Source line breaks are layout of the HTML file, not of the text.
        foreach (var c in data)
        {
            sink.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }
    }

    /// <summary>The end or start of a block: a paragraph break, a line break inside a list, a space inside a heading or cell.</summary>
    private void Boundary()
    {
        if (InHeading || InCell)
        {
            Space();
        }
        else if (_listDepth > 0 || _preDepth > 0)
        {
            LineBreak();
        }
        else
        {
            Flush();
        }
    }

    private void LineBreak() => _sinks.Peek().Append(_sinks.Peek() == _paragraph ? '\n' : ' ');

    private void Space() => _sinks.Peek().Append(' ');

    private void Flush()
    {
        if (_paragraph.Length == 0)
        {
            return;
        }

        if (_preDepth > 0)
        {
            _builder.AppendPreformatted(_paragraph.ToString());
        }
        else
        {
            _builder.AppendParagraph(_paragraph.ToString());
        }

        _paragraph.Clear();
    }

    private static bool IsDropped(IElement element)
    {
        if (DroppedElements.Contains(element.LocalName)
            || element.HasAttribute("hidden")
            || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(element.GetAttribute("role"), "navigation", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var style = element.GetAttribute("style");
        if (string.IsNullOrEmpty(style))
        {
            return false;
        }

        var compact = string.Concat(style.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        return compact.Contains("display:none", StringComparison.Ordinal) || compact.Contains("visibility:hidden", StringComparison.Ordinal);
    }
}
