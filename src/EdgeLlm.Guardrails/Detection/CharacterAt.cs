namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// What the character at a position of a text is, false past either end: the hand-written candidate matchers read
/// ahead and behind without a bounds check at every step.
/// </summary>
internal static class CharacterAt
{
    /// <summary>An ASCII digit, the patterns' <c>[0-9]</c>.</summary>
    public static bool Digit(string text, int index) => (uint)index < (uint)text.Length && char.IsAsciiDigit(text[index]);

    /// <summary>A character <c>\w</c> matches.</summary>
    public static bool Word(string text, int index) => (uint)index < (uint)text.Length && WordCharacters.Contains(text[index]);

    /// <summary>The character, or '\0' past either end (no pattern's separator or bracket).</summary>
    public static char Get(string text, int index) => (uint)index < (uint)text.Length ? text[index] : '\0';

    /// <summary><paramref name="count"/> ASCII digits from <paramref name="index"/> on.</summary>
    public static bool Digits(string text, int index, int count)
    {
        for (var i = index; i < index + count; i++)
        {
            if (!Digit(text, i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the run of ASCII digits that holds <paramref name="index"/> ends.</summary>
    public static int DigitRunEnd(string text, int index)
    {
        var end = index;
        while (Digit(text, end))
        {
            end++;
        }

        return end;
    }
}
