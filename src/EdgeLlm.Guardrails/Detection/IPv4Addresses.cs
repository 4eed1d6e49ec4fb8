namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The IPv4 addresses in a text: exactly the matches of the pattern the detector was written as,
/// <c>(?&lt;![\w.]|:[0-9A-Fa-f]{0,4}:)O(?:\.O){3}(?![\w]|\.[0-9])</c> with O an octet,
/// <c>25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]</c>. An octet that stops short of its run of digits leaves a digit
/// where a '.' or the lookahead's non-word must follow, so each octet is a whole run: 0 to 255 without a leading zero.
/// No match starts inside or just after another (its digits and dots are what the lookbehind refuses), so the matches
/// are the runs of digits a match starts at, each judged alone, read from the text's digit runs.
/// </summary>
internal static class IPv4Addresses
{
    private const int Octets = 4;

    /// <summary>The addresses in <paramref name="text"/>, in order, as <c>(Index, Length)</c>.</summary>
    public static List<(int Index, int Length)> Find(string text)
    {
        using var runs = DigitRuns.Of(text);
        return Find(text, runs);
    }

    /// <summary>The addresses in <paramref name="text"/>, whose digit runs are <paramref name="runs"/>.</summary>
    public static List<(int Index, int Length)> Find(string text, DigitRuns runs)
    {
        var found = new List<(int Index, int Length)>();
        for (var run = 0; run + Octets <= runs.Count; run++)
        {
            if (EndOfAddressFrom(text, runs, run) is var end and > 0)
            {
                found.Add((runs.Start(run), end - runs.Start(run)));
                run += Octets - 1;
            }
        }

        return found;
    }

    private static int EndOfAddressFrom(string text, DigitRuns runs, int first)
    {
        if (!CanStart(text, runs.Start(first)))
        {
            return -1;
        }

        for (var octet = first; octet < first + Octets; octet++)
        {
            if (!IsOctet(text, runs.Start(octet), runs.End(octet))
                || (octet < first + Octets - 1 && (text[runs.End(octet)] != '.' || runs.Start(octet + 1) != runs.End(octet) + 1)))
            {
                return -1;
            }
        }

        // (?![\w]|\.[0-9])
        var end = runs.End(first + Octets - 1);
        return CharacterAt.Word(text, end) || (CharacterAt.Get(text, end) == '.' && CharacterAt.Digit(text, end + 1)) ? -1 : end;
    }

    // (?<![\w.]|:[0-9A-Fa-f]{0,4}:): the tail of an IPv6 address ("::ffff:192.0.2.1") is that address's.
    private static bool CanStart(string text, int start)
    {
        var before = CharacterAt.Get(text, start - 1);
        if (CharacterAt.Word(text, start - 1) || before == '.')
        {
            return false;
        }

        if (before != ':')
        {
            return true;
        }

        for (var hex = 0; hex <= 4; hex++)
        {
            if (CharacterAt.Get(text, start - 2 - hex) == ':')
            {
                return false;
            }

            if (!char.IsAsciiHexDigit(CharacterAt.Get(text, start - 2 - hex)))
            {
                return true;
            }
        }

        return true;
    }

    private static bool IsOctet(string text, int start, int end) => (end - start) switch
    {
        1 => true,
        2 => text[start] != '0',
        3 => text[start] == '1' || (text[start] == '2' && (text[start + 1] < '5' || (text[start + 1] == '5' && text[start + 2] <= '5'))),
        _ => false,
    };
}
