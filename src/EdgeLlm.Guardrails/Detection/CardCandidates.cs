namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The spans the card detector judges: exactly the matches of the pattern it was written as,
/// <c>(?&lt;![\w.,+-]|[0-9][ -])[0-9](?:[ -]?[0-9]){12,18}(?![\w]|[.,-][0-9]|[ -][0-9]{4}(?![0-9]))</c>: 13 to 19 digits,
/// solid or grouped by spaces or hyphens, not inside a word or a longer number (a decimal, a version, a phone number's
/// "+49", a grouped IBAN) nor running on into one. Found by a vectorised scan for digits and read by hand: the regex
/// tried a match at each of the ~58,000 digit runs of a corpus pass, a few percent of which are cards.
/// </summary>
internal static class CardCandidates
{
    public const int MinDigits = 13;
    public const int MaxDigits = 19;

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
        Span<int> digitEnds = stackalloc int[MaxDigits];
        var from = 0;
        for (var run = 0; run < runs.Count; run++)
        {
            // A match starts at the first digit of a run (any later one has a digit, a word character, before it).
            var start = runs.Start(run);
            if (start >= from && CanStart(text, start) && End(text, start, digitEnds) is var end and > 0)
            {
                found.Add((start, end - start));
                from = end;
            }
        }

        return found;
    }

    // (?<![\w.,+-]|[0-9][ -])
    private static bool CanStart(string text, int start)
    {
        var before = CharacterAt.Get(text, start - 1);
        return !(CharacterAt.Word(text, start - 1) || before is '.' or ',' or '+' or '-'
            || (before == ' ' && CharacterAt.Digit(text, start - 2)));
    }

    /// <summary>
    /// The end of the longest run of 13 to 19 digits from <paramref name="start"/> (each after at most one space or
    /// hyphen) that may end where it does, or -1: the regex's greedy repetition, backtracking one digit at a time.
    /// </summary>
    private static int End(string text, int start, Span<int> digitEnds)
    {
        var count = 0;
        var at = start + 1;
        digitEnds[count++] = at;
        while (count < MaxDigits)
        {
            if (CharacterAt.Digit(text, at))
            {
                at++;
            }
            else if (CharacterAt.Get(text, at) is ' ' or '-' && CharacterAt.Digit(text, at + 1))
            {
                at += 2;
            }
            else
            {
                break;
            }

            digitEnds[count++] = at;
        }

        for (var digits = count; digits >= MinDigits; digits--)
        {
            if (MayEndAt(text, digitEnds[digits - 1]))
            {
                return digitEnds[digits - 1];
            }
        }

        return -1;
    }

    // (?![\w]|[.,-][0-9]|[ -][0-9]{4}(?![0-9]))
    private static bool MayEndAt(string text, int end)
    {
        var next = CharacterAt.Get(text, end);
        return !(CharacterAt.Word(text, end)
            || (next is '.' or ',' or '-' && CharacterAt.Digit(text, end + 1))
            || (next is ' ' or '-' && CharacterAt.Digits(text, end + 1, 4) && !CharacterAt.Digit(text, end + 5)));
    }
}
