namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The spans the IPv6 detector confirms: exactly the matches of the pattern it was written as,
/// <c>(?&lt;![\w:.])(?:H{0,4}:){2,7}(?:H{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])</c> (H a hex digit).
/// A group that stops short of its run of hex digits leaves a hex digit where ':' (or the lookahead's non-word) must
/// follow, so every group is a whole run; what the regex gives back is whole groups, last first. No match starts
/// inside or just after another (its characters are what the lookbehind refuses), so the matches are the places a
/// match can start, each judged alone: the start of the hex run before a ':', found by a vectorised scan.
/// </summary>
internal static class IPv6Candidates
{
    private const int MinGroups = 2;
    private const int MaxGroups = 7;
    private const int GroupDigits = 4;
    private const int TailOctets = 4;
    private const int OctetDigits = 3;

    /// <summary>The candidates in <paramref name="text"/>, in order, as <c>(Index, Length)</c>.</summary>
    public static List<(int Index, int Length)> Find(string text)
    {
        var found = new List<(int Index, int Length)>();
        Span<int> groupEnds = stackalloc int[MaxGroups];
        var from = 0;
        while (from < text.Length && text.AsSpan(from).IndexOf(':') is var at and >= 0)
        {
            var colon = from + at;
            from = colon + 1;
            var start = colon - HexRunBefore(text, colon);
            if (colon - start <= GroupDigits && CanStart(text, start) && End(text, start, groupEnds) is var end and > 0)
            {
                found.Add((start, end - start));
                from = end;
            }
        }

        return found;
    }

    private static int HexRunBefore(string text, int position)
    {
        var length = 0;
        while (length <= GroupDigits && char.IsAsciiHexDigit(CharacterAt.Get(text, position - 1 - length)))
        {
            length++;
        }

        return length;
    }

    // (?<![\w:.])
    private static bool CanStart(string text, int start) => !(CharacterAt.Word(text, start - 1) || CharacterAt.Get(text, start - 1) is ':' or '.');

    private static int End(string text, int start, Span<int> groupEnds)
    {
        // (?:H{0,4}:){2,7}, each group a whole run of hex digits and its ':'.
        var groups = 0;
        var at = start;
        while (groups < MaxGroups)
        {
            var digits = HexRun(text, at);
            if (digits > GroupDigits || CharacterAt.Get(text, at + digits) != ':')
            {
                break;
            }

            at += digits + 1;
            groupEnds[groups++] = at;
        }

        for (; groups >= MinGroups; groups--)
        {
            if (TailEnd(text, groupEnds[groups - 1]) is var end and >= 0)
            {
                return end;
            }
        }

        return -1;
    }

    // (?:H{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})? then (?![\w:]|\.[0-9]), tried in that order.
    private static int TailEnd(string text, int at)
    {
        var digits = HexRun(text, at);
        if (digits is >= 1 and <= GroupDigits && MayEndAt(text, at + digits))
        {
            return at + digits;
        }

        if (IPv4TailEnd(text, at) is var tail and > 0 && MayEndAt(text, tail))
        {
            return tail;
        }

        return MayEndAt(text, at) ? at : -1;
    }

    private static int IPv4TailEnd(string text, int at)
    {
        for (var octet = 0; octet < TailOctets; octet++)
        {
            var digits = CharacterAt.DigitRunEnd(text, at) - at;
            if (digits is < 1 or > OctetDigits)
            {
                return -1;
            }

            at += digits;
            if (octet < TailOctets - 1)
            {
                if (CharacterAt.Get(text, at) != '.')
                {
                    return -1;
                }

                at++;
            }
        }

        return at;
    }

    private static bool MayEndAt(string text, int end) =>
        !(CharacterAt.Word(text, end) || CharacterAt.Get(text, end) == ':' || (CharacterAt.Get(text, end) == '.' && CharacterAt.Digit(text, end + 1)));

    private static int HexRun(string text, int at)
    {
        var length = 0;
        while (char.IsAsciiHexDigit(CharacterAt.Get(text, at + length)))
        {
            length++;
        }

        return length;
    }
}
