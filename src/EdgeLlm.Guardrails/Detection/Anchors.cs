using System.Buffers;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Where an <see cref="AnchoredPattern"/> looks: places every match of its pattern holds, found by vectorised scans and
/// narrowed by the characters around them, so prose punctuation and most numbers cost no regex call.
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

    /// <summary>One of <paramref name="characters"/> with an ASCII digit on either side ("1.2").</summary>
    public static Finder BetweenDigits(string characters)
    {
        var digits = SearchValues.Create("0123456789");
        return Around(characters, digits, digits);
    }

    /// <summary>One of <paramref name="characters"/> where <paramref name="fits"/> holds for the text and its position.</summary>
    public static Finder Where(string characters, Func<string, int, bool> fits)
    {
        var anchors = SearchValues.Create(characters);
        return (text, from) =>
        {
            var position = from;
            while (position < text.Length && text.AsSpan(position).IndexOfAny(anchors) is var at and >= 0)
            {
                if (fits(text, position + at))
                {
                    return position + at;
                }

                position += at + 1;
            }

            return -1;
        };
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="count"/> hex digits from <paramref name="start"/> on.</summary>
    public static bool HexDigitsAt(string text, int start, int count) =>
        start >= 0 && start + count <= text.Length && !text.AsSpan(start, count).ContainsAnyExcept(Hex);

    private static Finder Around(string characters, SearchValues<char>? before, SearchValues<char> after) =>
        Where(characters, (text, anchor) =>
            (before is null || (anchor > 0 && before.Contains(text[anchor - 1])))
            && anchor + 1 < text.Length && after.Contains(text[anchor + 1]));
}
