namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The spans the IBAN detector measures: exactly the matches of the pattern it was written as,
/// <c>(?&lt;![\w-])[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]){11,30}</c> (a country, check digits, then 11 to 30 letters or digits,
/// each optionally after one space or hyphen; not inside a word). The check digits start a run of digits, so the
/// candidates are found by the vectorised scan for digits every number matcher uses, and read by hand.
/// </summary>
internal static class IbanCandidates
{
    private const int MinRest = 11;
    private const int MaxRest = 30;

    /// <summary>The candidates in <paramref name="text"/>, in order, as <c>(Index, Length)</c>.</summary>
    public static List<(int Index, int Length)> Find(string text)
    {
        using var runs = DigitRuns.Of(text);
        return Find(text, runs);
    }

    /// <summary>The candidates in <paramref name="text"/>, whose digit runs are <paramref name="runs"/>.</summary>
    public static List<(int Index, int Length)> Find(string text, DigitRuns runs)
    {
        var found = new List<(int Index, int Length)>();
        var from = 0;
        for (var run = 0; run < runs.Count; run++)
        {
            var start = runs.Start(run) - 2;
            if (start >= from && runs.End(run) - runs.Start(run) >= 2 && IsCountry(text, start) && CanStart(text, start)
                && End(text, start) is var end and > 0)
            {
                found.Add((start, end - start));
                from = end;
            }
        }

        return found;
    }

    private static bool IsCountry(string text, int start) => char.IsAsciiLetterUpper(text[start]) && char.IsAsciiLetterUpper(text[start + 1]);

    // (?<![\w-])
    private static bool CanStart(string text, int start) => !(CharacterAt.Word(text, start - 1) || CharacterAt.Get(text, start - 1) == '-');

    // (?:[ -]?[A-Z0-9]){11,30}, greedy; nothing after it is looked at.
    private static int End(string text, int start)
    {
        var at = start + 4;
        var count = 0;
        while (count < MaxRest)
        {
            if (IsLetterOrDigit(CharacterAt.Get(text, at)))
            {
                at++;
            }
            else if (CharacterAt.Get(text, at) is ' ' or '-' && IsLetterOrDigit(CharacterAt.Get(text, at + 1)))
            {
                at += 2;
            }
            else
            {
                break;
            }

            count++;
        }

        return count >= MinRest ? at : -1;
    }

    private static bool IsLetterOrDigit(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);
}
