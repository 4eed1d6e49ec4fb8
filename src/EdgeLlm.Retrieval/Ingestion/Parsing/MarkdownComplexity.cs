using System.Buffers;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// A linear pre-scan for the inputs on which Markdig's parser goes quadratic, so that a small upload
/// cannot occupy a core for minutes. Two shapes matter, each costing the square of a count: container
/// markers opening a line ("&gt; &gt; &gt;", "- - -"), and emphasis or link delimiters in one paragraph
/// ("*a*a*a", "[[[["). The sum of those squares is held to a budget.
/// </summary>
internal static class MarkdownComplexity
{
    // Measured on the 2-core appliance: 10,000 '*' in one paragraph cost Markdig ~2 s, 5,000 lines 120
    // containers deep ~2 s; about 2e-8 s per unit, so this budget is about a second. Real documents use a
    // small fraction of it: 20,000 paragraphs of 40 delimiters come to 3.2e7, and lines nest a few deep.
    private const long QuadraticBudget = 40_000_000;

    private static readonly SearchValues<char> Delimiters = SearchValues.Create("*_[]");

    /// <summary>Why the Markdown is refused, or null when it is safe to parse.</summary>
    public static string? Refusal(string markdown, int maxDepth)
    {
        long cost = 0;
        long inParagraph = 0;
        var inFence = false;
        foreach (var line in markdown.AsSpan().EnumerateLines())
        {
            var trimmed = line.TrimStart(' ');
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                // Code is not parsed for inlines; its underscores and asterisks cost nothing.
                inFence = !inFence;
                continue;
            }

            if (line.IsWhiteSpace())
            {
                cost += inParagraph * inParagraph;
                inParagraph = 0;
                continue;
            }

            var depth = ContainerDepth(line, maxDepth);
            if (depth > maxDepth)
            {
                return $"The Markdown nests containers (quotes, lists) deeper than {maxDepth} levels.";
            }

            cost += (long)depth * depth;

            if (!inFence)
            {
                inParagraph += Count(line);
            }
        }

        cost += inParagraph * inParagraph;
        return cost > QuadraticBudget
            ? "The Markdown is too complex to parse safely (very many emphasis or link characters in single paragraphs, or deeply nested lines); split it, or upload it as text/plain."
            : null;
    }

    /// <summary>Quote and list markers opening a line, counting indentation before a list marker as nesting.</summary>
    private static int ContainerDepth(ReadOnlySpan<char> line, int maxDepth)
    {
        var depth = 0;
        var i = 0;
        while (depth <= maxDepth)
        {
            var indent = 0;
            for (; i < line.Length && line[i] is ' ' or '\t'; i++)
            {
                indent += line[i] == '\t' ? 4 : 1;
            }

            if (i < line.Length && line[i] == '>')
            {
                depth++;
                i++;
                continue;
            }

            var marker = ListMarkerLength(line[i..]);
            if (marker == 0)
            {
                break;
            }

            depth += 1 + (indent / 2);
            i += marker;
        }

        return depth;
    }

    private static int ListMarkerLength(ReadOnlySpan<char> rest)
    {
        var digits = 0;
        while (digits < rest.Length && digits < 9 && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        var length = digits > 0 && digits < rest.Length && rest[digits] is '.' or ')' ? digits + 1
            : digits == 0 && rest.Length > 0 && rest[0] is '-' or '+' or '*' ? 1
            : 0;
        return length > 0 && length < rest.Length && rest[length] is ' ' or '\t' ? length + 1 : 0;
    }

    private static int Count(ReadOnlySpan<char> line)
    {
        var count = 0;
        for (var next = line.IndexOfAny(Delimiters); next >= 0; next = line.IndexOfAny(Delimiters))
        {
            count++;
            line = line[(next + 1)..];
        }

        return count;
    }
}
