using System.Buffers;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Where an <see cref="AnchoredPattern"/> looks: places every match of its pattern holds, found by vectorised scans and
/// narrowed by the characters around them, so prose punctuation and short numbers cost no regex call.
/// </summary>
internal static class Anchors
{
    /// <summary>The first anchor at or after <paramref name="from"/> (less than the text's length), or -1.</summary>
    public delegate int Finder(string text, int from);

    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789ABCDEFabcdef");

    /// <summary>Every one of <paramref name="characters"/>.</summary>
    public static Finder Characters(string characters)
    {
        var anchors = SearchValues.Create(characters);
        return (text, from) => text.AsSpan(from).IndexOfAny(anchors) is var at and >= 0 ? from + at : -1;
    }

    /// <summary>One of <paramref name="characters"/> followed by one of <paramref name="after"/>.</summary>
    public static Finder Before(string characters, string after) => Around(characters, before: null, SearchValues.Create(after));

    /// <summary>One of <paramref name="characters"/> with a hex digit on either side ("0a:1b", "0a1b.2c3d").</summary>
    public static Finder BetweenHexDigits(string characters) => Around(characters, Hex, Hex);

    /// <summary>One of <paramref name="characters"/> with an ASCII digit on either side ("1.2").</summary>
    public static Finder BetweenDigits(string characters)
    {
        var digits = SearchValues.Create("0123456789");
        return Around(characters, digits, digits);
    }

    /// <summary>
    /// A digit that starts a run of at least <paramref name="minDigits"/> digits, each joined to the next by at most one
    /// of <paramref name="separators"/> ("212 234-5678" holds six from its first five digits on).
    /// </summary>
    public static Finder DigitRuns(string separators, int minDigits)
    {
        var joining = SearchValues.Create(separators);
        return (text, from) =>
        {
            var position = from;
            while (text.AsSpan(position).IndexOfAnyInRange('0', '9') is var at and >= 0)
            {
                var start = position + at;
                var digits = 0;
                position = start;
                while (position < text.Length)
                {
                    if (char.IsAsciiDigit(text[position]))
                    {
                        if (++digits == minDigits)
                        {
                            return start;
                        }

                        position++;
                    }
                    else if (joining.Contains(text[position]) && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1]))
                    {
                        position++;
                    }
                    else
                    {
                        break;
                    }
                }

                // Every digit of this run has fewer digits after it than its start had: none is an anchor.
                if (position >= text.Length)
                {
                    return -1;
                }
            }

            return -1;
        };
    }

    private static Finder Around(string characters, SearchValues<char>? before, SearchValues<char> after)
    {
        var anchors = SearchValues.Create(characters);
        return (text, from) =>
        {
            var position = from;
            while (text.AsSpan(position).IndexOfAny(anchors) is var at and >= 0)
            {
                var anchor = position + at;
                var beforeFits = before is null || (anchor > 0 && before.Contains(text[anchor - 1]));
                if (beforeFits && anchor + 1 < text.Length && after.Contains(text[anchor + 1]))
                {
                    return anchor;
                }

                position = anchor + 1;
                if (position >= text.Length)
                {
                    return -1;
                }
            }

            return -1;
        };
    }
}
