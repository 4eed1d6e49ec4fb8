namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The spans the phone detector judges: exactly the matches of the pattern it was written as,
/// <c>(?&lt;![\w+.\-/]|\+[0-9]{1,3}[ .-]?)(?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,5}\)[ .-]?)?[0-9](?:[ .\-/]?[0-9]){5,16}(?![\w]|[.\-/][0-9])</c>:
/// an optional '+' country code and area code in parentheses, then 6 to 17 digits grouped by spaces, dots, hyphens or
/// slashes; not inside a word or a longer number, nor running on into one (a decimal, a date, a version), nor the rest
/// of a number whose '+' country code was itself glued to a word. Every match starts at a run of digits or just before
/// one (its '+' or '('), so the candidates are found by a vectorised scan for digits and read by hand, trying what the
/// regex would try in the order it would.
/// </summary>
internal static class PhoneCandidates
{
    private const int MinDigits = 6;
    private const int MaxDigits = 17;
    private const int MaxCountryCode = 3;
    private const int MaxAreaCode = 5;

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
            var digit = runs.Start(run);
            if (digit < from)
            {
                continue;
            }

            // The regex tries the '+' or '(' before a run first, then the run's first digit; a later digit of the run
            // has a word character (a digit) before it.
            var start = digit;
            var end = -1;
            if (digit - 1 >= from && text[digit - 1] is '+' or '(')
            {
                start = digit - 1;
                end = MatchAt(text, start, digitEnds);
            }

            if (end < 0)
            {
                start = digit;
                end = MatchAt(text, start, digitEnds);
            }

            if (end > 0)
            {
                found.Add((start, end - start));
                from = end;
            }
            else
            {
                from = runs.End(run);
            }
        }

        return found;
    }

    private static int MatchAt(string text, int start, Span<int> digitEnds)
    {
        if (!CanStart(text, start))
        {
            return -1;
        }

        if (text[start] != '+')
        {
            return AreaCodeAndNumberEnd(text, start, digitEnds);
        }

        // \+[0-9]{1,3}[ .-]? : the country code's digits greedy, giving one back at a time. A separator after them is
        // taken whenever it is there: without it the rest would have to start at the separator.
        var codeDigits = 0;
        while (codeDigits < MaxCountryCode && CharacterAt.Digit(text, start + 1 + codeDigits))
        {
            codeDigits++;
        }

        for (var digits = codeDigits; digits >= 1; digits--)
        {
            var rest = start + 1 + digits;
            rest += CharacterAt.Get(text, rest) is ' ' or '.' or '-' ? 1 : 0;
            if (AreaCodeAndNumberEnd(text, rest, digitEnds) is var end and > 0)
            {
                return end;
            }
        }

        return -1;
    }

    // (?<![\w+.\-/]|\+[0-9]{1,3}[ .-]?): a '.' or '-' before is refused by the first alternative, a digit by \w, so the
    // second only adds "+49 " (one to three digits).
    private static bool CanStart(string text, int start)
    {
        var before = CharacterAt.Get(text, start - 1);
        if (CharacterAt.Word(text, start - 1) || before is '+' or '.' or '-' or '/')
        {
            return false;
        }

        if (before == ' ')
        {
            for (var digits = 1; digits <= MaxCountryCode && CharacterAt.Digit(text, start - 1 - digits); digits++)
            {
                if (CharacterAt.Get(text, start - 2 - digits) == '+')
                {
                    return false;
                }
            }
        }

        return true;
    }

    // (?:\([0-9]{1,5}\)[ .-]?)? then the number. The area code's digits must all be there before ')': giving one back
    // leaves a digit where ')' must be. Skipping the group leaves a '(' where the number's first digit must be.
    private static int AreaCodeAndNumberEnd(string text, int start, Span<int> digitEnds)
    {
        if (CharacterAt.Get(text, start) != '(')
        {
            return NumberEnd(text, start, digitEnds);
        }

        var digits = CharacterAt.DigitRunEnd(text, start + 1) - (start + 1);
        if (digits is < 1 or > MaxAreaCode || CharacterAt.Get(text, start + 1 + digits) != ')')
        {
            return -1;
        }

        var number = start + 2 + digits;
        number += CharacterAt.Get(text, number) is ' ' or '.' or '-' ? 1 : 0;
        return NumberEnd(text, number, digitEnds);
    }

    // [0-9](?:[ .\-/]?[0-9]){5,16}(?![\w]|[.\-/][0-9]): greedy, giving back one digit at a time until the end may be one.
    private static int NumberEnd(string text, int start, Span<int> digitEnds)
    {
        if (!CharacterAt.Digit(text, start))
        {
            return -1;
        }

        var count = 0;
        var at = start + 1;
        digitEnds[count++] = at;
        while (count < MaxDigits)
        {
            if (CharacterAt.Digit(text, at))
            {
                at++;
            }
            else if (CharacterAt.Get(text, at) is ' ' or '.' or '-' or '/' && CharacterAt.Digit(text, at + 1))
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
            var end = digitEnds[digits - 1];
            if (!CharacterAt.Word(text, end) && !(CharacterAt.Get(text, end) is '.' or '-' or '/' && CharacterAt.Digit(text, end + 1)))
            {
                return end;
            }
        }

        return -1;
    }
}
