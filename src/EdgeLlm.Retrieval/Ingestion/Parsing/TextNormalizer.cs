using System.Text;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Whitespace and invisible-character clean-up shared by every parser, so that the same words in any
/// format produce the same indexed text.
/// </summary>
internal static class TextNormalizer
{
    /// <summary>
    /// Prose: each '\n'-separated line has its whitespace runs collapsed to one space and is trimmed;
    /// empty lines are dropped. Any other line-break character counts as plain whitespace.
    /// </summary>
    public static string Prose(string text)
    {
        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        var lineHasText = false;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                pendingSpace = false;
                if (lineHasText)
                {
                    result.Append('\n');
                    lineHasText = false;
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                pendingSpace = lineHasText;
            }
            else if (!IsInvisible(c))
            {
                if (pendingSpace)
                {
                    result.Append(' ');
                    pendingSpace = false;
                }

                result.Append(c);
                lineHasText = true;
            }
        }

        return result.ToString().TrimEnd('\n');
    }

    /// <summary>One line of prose: headings, table cells.</summary>
    public static string SingleLine(string text) => Prose(text).Replace('\n', ' ');

    /// <summary>
    /// Preformatted text (code, plain-text files): line breaks and indentation kept, trailing whitespace
    /// trimmed, runs of blank lines reduced to one, blank lines at either end removed.
    /// </summary>
    public static string Preformatted(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var result = new StringBuilder(text.Length);
        var blankLinesPending = false;
        foreach (var rawLine in lines)
        {
            var line = Visible(rawLine).TrimEnd();
            if (line.Length == 0)
            {
                blankLinesPending = result.Length > 0;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blankLinesPending ? "\n\n" : "\n");
            }

            result.Append(line);
            blankLinesPending = false;
        }

        return result.ToString();
    }

    private static string Visible(string line)
    {
        var result = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (c == '\t')
            {
                result.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                result.Append(' ');
            }
            else if (!IsInvisible(c))
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    // Control characters, soft hyphens, zero-width characters and stray BOMs carry no words; left in,
    // they split tokens ("lock\u00ADout") and defeat exact-match search.
    private static bool IsInvisible(char c) =>
        char.IsControl(c) || c is '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF';
}
