using System.Text;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Masks a value: letters and digits become <c>*</c> except the last few, everything else (spaces, dashes, dots, the
/// <c>@</c>) stays, so <c>4111 1111 1111 1234</c> reads <c>**** **** **** 1234</c>.
/// </summary>
internal static class ValueMask
{
    public static void AppendMasked(StringBuilder output, ReadOnlySpan<char> value, int keepLast)
    {
        var letterOrDigitCount = 0;
        foreach (var c in value)
        {
            if (IsHidden(c))
            {
                letterOrDigitCount++;
            }
        }

        // Never more than half, so a short value does not stay readable.
        var hideCount = letterOrDigitCount - Math.Min(keepLast, letterOrDigitCount / 2);
        foreach (var c in value)
        {
            if (IsHidden(c) && hideCount > 0)
            {
                output.Append('*');
                hideCount--;
            }
            else
            {
                output.Append(c);
            }
        }
    }

    // A surrogate half counts as content: a letter outside the basic plane must not survive as a 'separator'.
    private static bool IsHidden(char c) => char.IsLetterOrDigit(c) || char.IsSurrogate(c);
}
