namespace EdgeLlm.Retrieval.Ingestion.Chunking;

/// <summary>Where text may be cut, coarsest first: paragraphs, lines, words. Ranges are [start, end).</summary>
internal static class TextBoundaries
{
    /// <summary>Paragraphs of [start, end): runs of non-blank lines, trimmed of surrounding whitespace.</summary>
    public static List<(int Start, int End)> Paragraphs(string text, int start, int end)
    {
        var paragraphs = new List<(int, int)>();
        var paragraphStart = -1;
        var lastVisible = -1;
        var lineIsBlank = true;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (lineIsBlank && paragraphStart >= 0)
                {
                    paragraphs.Add((paragraphStart, lastVisible + 1));
                    paragraphStart = -1;
                }

                lineIsBlank = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                paragraphStart = paragraphStart < 0 ? i : paragraphStart;
                lastVisible = i;
                lineIsBlank = false;
            }
        }

        if (paragraphStart >= 0)
        {
            paragraphs.Add((paragraphStart, lastVisible + 1));
        }

        return paragraphs;
    }

    /// <summary>Ends of the lines that end inside (from, to), each before its trailing whitespace.</summary>
    public static List<int> LineEnds(string text, int from, int to)
    {
        var ends = new List<int>();
        for (var i = text.IndexOf('\n', from, to - from); i >= 0; i = i + 1 < to ? text.IndexOf('\n', i + 1, to - i - 1) : -1)
        {
            var end = i;
            while (end > from && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            if (end > from && (ends.Count == 0 || ends[^1] < end))
            {
                ends.Add(end);
            }
        }

        return ends;
    }

    /// <summary>Positions just after each word that ends in (from, to].</summary>
    public static List<int> WordEnds(string text, int from, int to)
    {
        var ends = new List<int>();
        for (var i = from + 1; i <= to; i++)
        {
            if (!char.IsWhiteSpace(text[i - 1]) && (i == text.Length || char.IsWhiteSpace(text[i])))
            {
                ends.Add(i);
            }
        }

        return ends;
    }

    /// <summary>Positions of each word's first character in [from, to).</summary>
    public static List<int> WordStarts(string text, int from, int to)
    {
        var starts = new List<int>();
        for (var i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && (i == 0 || char.IsWhiteSpace(text[i - 1])))
            {
                starts.Add(i);
            }
        }

        return starts;
    }

    /// <summary>The first non-whitespace position at or after <paramref name="from"/>, or <paramref name="to"/>.</summary>
    public static int SkipWhitespace(string text, int from, int to)
    {
        while (from < to && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        return from;
    }
}
