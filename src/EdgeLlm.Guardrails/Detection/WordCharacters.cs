using System.Globalization;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The characters a .NET regular expression's <c>\w</c> matches (letters, non-spacing marks, decimal digits in any
/// script, connector punctuation), for the hand-written matchers that stand in for the built-in patterns: their
/// "not inside a word" lookarounds must see a word exactly where the patterns did.
/// </summary>
internal static class WordCharacters
{
    public static bool Contains(char c) => c < 128
        ? char.IsAsciiLetterOrDigit(c) || c == '_'
        : char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
}
