using System.Buffers;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The MAC addresses in a text: exactly the matches of the pattern the detector was written as,
/// <c>(?&lt;![\w:.-])(?:H{2}(?::H{2}){5}|H{2}(?:-H{2}){5}|H{4}(?:\.H{4}){2})(?![\w:-]|\.H)</c> (H a hex digit): six hex
/// pairs joined by colons or by hyphens, or three dot-separated groups of four; not inside a word or a longer run of
/// the same shape. Every character of a match is one its lookbehind refuses, so no match starts inside or just after
/// another: the matches are the places a match can start, each judged alone. Each is found from its first separator
/// by a vectorised scan and read by hand.
/// </summary>
internal static class MacAddresses
{
    private const int PairsLength = 17;
    private const int GroupsLength = 14;

    private static readonly SearchValues<char> Separators = SearchValues.Create(":-.");

    /// <summary>The addresses in <paramref name="text"/>, in order, as <c>(Index, Length)</c>.</summary>
    public static List<(int Index, int Length)> Find(string text)
    {
        var found = new List<(int Index, int Length)>();
        var from = 0;
        while (from < text.Length && text.AsSpan(from).IndexOfAny(Separators) is var at and >= 0)
        {
            var separator = from + at;
            from = separator + 1;

            // A match's first separator follows its first group; later ones follow a separator, which no match starts after.
            var start = separator - (text[separator] == '.' ? 4 : 2);
            if (start >= 0 && IsHex(CharacterAt.Get(text, separator - 1)) && IsHex(CharacterAt.Get(text, separator + 1))
                && Length(text, start, text[separator]) is var length and > 0)
            {
                found.Add((start, length));
                from = start + length;
            }
        }

        return found;
    }

    private static int Length(string text, int start, char separator)
    {
        var before = CharacterAt.Get(text, start - 1);
        if (CharacterAt.Word(text, start - 1) || before is ':' or '.' or '-')
        {
            return 0;
        }

        var (group, groups, length) = separator == '.' ? (4, 3, GroupsLength) : (2, 6, PairsLength);
        for (var g = 0; g < groups; g++)
        {
            var groupStart = start + g * (group + 1);
            if (!HexDigits(text, groupStart, group) || (g < groups - 1 && CharacterAt.Get(text, groupStart + group) != separator))
            {
                return 0;
            }
        }

        // (?![\w:-]|\.H)
        var end = start + length;
        var next = CharacterAt.Get(text, end);
        return CharacterAt.Word(text, end) || next is ':' or '-' || (next == '.' && IsHex(CharacterAt.Get(text, end + 1))) ? 0 : length;
    }

    private static bool HexDigits(string text, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (!IsHex(CharacterAt.Get(text, i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
