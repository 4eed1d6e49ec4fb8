using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Markdown through Markdig's syntax tree: headings give the sections; paragraphs, lists, tables and code
/// become text blocks without markup (no '#', '*', '|---', link targets or fences). Raw HTML blocks go
/// through the HTML extractor. Walking the tree recurses, so its depth is bounded.
/// </summary>
internal sealed class MarkdownDocumentParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseGridTables()
        .UseYamlFrontMatter()
        .Build();

    private readonly DocumentTextBuilder _builder = new();
    private readonly DocumentParsingLimits _limits;
    private readonly ParseDeadline _htmlDeadline;
    private bool _tooDeep;

    private MarkdownDocumentParser(DocumentParsingLimits limits, ParseDeadline htmlDeadline)
    {
        _limits = limits;
        _htmlDeadline = htmlDeadline;
    }

    /// <exception cref="DocumentLimitExceededException">Raw HTML blocks took too long to parse.</exception>
    public static DocumentParseResult Parse(string markdown, DocumentParsingLimits limits)
    {
        if (MarkdownComplexity.Refusal(markdown, limits.MaxNestingDepth) is { } tooComplex)
        {
            return new DocumentParseResult.Rejected(DocumentRejection.Malformed, tooComplex);
        }

        MarkdownDocument syntax;
        try
        {
            syntax = Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig's own fail-fast on pathological nesting ("depth limit exceeded").
            return TooDeep(limits);
        }

        var parser = new MarkdownDocumentParser(limits, ParseDeadline.For(markdown.Length, limits));
        parser.Blocks(syntax, lines: null, depth: 0);
        if (parser._tooDeep)
        {
            return TooDeep(limits);
        }

        var frontMatterTitle = syntax.OfType<YamlFrontMatterBlock>().Select(FrontMatterTitle).FirstOrDefault(t => t is not null);
        var document = parser._builder.Build(frontMatterTitle ?? parser._builder.FirstTopHeading);
        return new DocumentParseResult.Parsed(document, DocumentType.Markdown);
    }

    private static DocumentParseResult.Rejected TooDeep(DocumentParsingLimits limits) =>
        new(DocumentRejection.Malformed, $"The Markdown is nested deeper than {limits.MaxNestingDepth} levels.");

    /// <summary>
    /// Emits the blocks of <paramref name="container"/>. Inside a list, <paramref name="lines"/> collects
    /// every leaf as a line so that the whole list becomes one block, one item per line.
    /// </summary>
    private void Blocks(ContainerBlock container, List<string>? lines, int depth)
    {
        if (depth > _limits.MaxNestingDepth)
        {
            _tooDeep = true;
            return;
        }

        foreach (var block in container)
        {
            switch (block)
            {
                case HeadingBlock heading when lines is null:
                    _builder.AppendHeading(heading.Level, Inlines(heading.Inline, depth + 1));
                    break;
                case HeadingBlock heading:
                    lines.Add(Inlines(heading.Inline, depth + 1));
                    break;
                case ParagraphBlock paragraph:
                    Emit(Inlines(paragraph.Inline, depth + 1), lines);
                    break;
                case YamlFrontMatterBlock:
                    break;
                case HtmlBlock html:
                    Html(html.Lines.ToString(), lines);
                    break;
                case CodeBlock code:
                    EmitPreformatted(code.Lines.ToString(), lines);
                    break;
                case Table table:
                    Emit(string.Join('\n', table.OfType<TableRow>().Select(row => Row(row, depth + 1))), lines);
                    break;
                case ListBlock list:
                    List(list, lines, depth + 1);
                    break;
                case ContainerBlock nested:
                    Blocks(nested, lines, depth + 1);
                    break;
            }
        }
    }

    private void List(ListBlock list, List<string>? outerLines, int depth)
    {
        var lines = outerLines ?? [];
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var first = lines.Count;
            Blocks(item, lines, depth + 1);

            // Step numbers carry meaning in procedures; bullets are markup.
            if (list.IsOrdered && lines.Count > first)
            {
                lines[first] = $"{item.Order}. {lines[first]}";
            }
        }

        if (outerLines is null)
        {
            _builder.AppendParagraph(string.Join('\n', lines));
        }
    }

    private void Emit(string text, List<string>? lines)
    {
        if (lines is null)
        {
            _builder.AppendParagraph(text);
        }
        else
        {
            lines.Add(text);
        }
    }

    private void EmitPreformatted(string text, List<string>? lines)
    {
        if (lines is null)
        {
            _builder.AppendPreformatted(text);
        }
        else
        {
            lines.AddRange(text.ReplaceLineEndings("\n").Split('\n'));
        }
    }

    private void Html(string html, List<string>? lines)
    {
        if (lines is null)
        {
            HtmlTextExtractor.ExtractFragment(html, _builder, _limits, _htmlDeadline);
        }
        else
        {
            lines.Add(HtmlTextExtractor.PlainText(html, _limits, _htmlDeadline));
        }
    }

    private string Row(TableRow row, int depth) =>
        string.Join(" | ", row.OfType<TableCell>().Select(cell =>
        {
            var text = new List<string>();
            Blocks(cell, text, depth + 1);
            return TextNormalizer.SingleLine(string.Join(' ', text));
        }));

    private string Inlines(ContainerInline? container, int depth)
    {
        var text = new StringBuilder();
        AppendInlines(container, text, depth);
        return text.ToString();
    }

    private void AppendInlines(ContainerInline? container, StringBuilder text, int depth)
    {
        if (container is null)
        {
            return;
        }

        if (depth > _limits.MaxNestingDepth)
        {
            _tooDeep = true;
            return;
        }

        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case DelimiterInline delimiter:
                    // An emphasis or link opener left without a partner is literal text.
                    text.Append(delimiter.ToLiteral());
                    AppendInlines(delimiter, text, depth + 1);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case ContainerInline nested:
                    // Emphasis, links (their text, not the target), image alt text; raw inline HTML tags
                    // are leaf inlines and fall through to nothing.
                    AppendInlines(nested, text, depth + 1);
                    break;
            }
        }
    }

    private static string? FrontMatterTitle(YamlFrontMatterBlock frontMatter)
    {
        foreach (var line in frontMatter.Lines.ToString().ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("title:", StringComparison.OrdinalIgnoreCase))
            {
                var title = line["title:".Length..].Trim().Trim('"', '\'');
                return title.Length > 0 ? title : null;
            }
        }

        return null;
    }
}
