namespace EdgeLlm.Guardrails.Detection;

/// <summary>The check-digit schemes of the number families: Luhn (cards, many national IDs) and ISO 7064 mod-97 (IBAN).</summary>
public static class Checksums
{
    /// <summary>Whether the decimal digits of <paramref name="value"/> (other characters ignored) pass Luhn's test.</summary>
    public static bool Luhn(ReadOnlySpan<char> value)
    {
        var sum = 0;
        var digits = 0;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            var c = value[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var d = c - '0';
            if (digits % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits > 1 && sum % 10 == 0;
    }

    /// <summary>
    /// Whether <paramref name="value"/> (letters and digits; other characters ignored) passes ISO 7064 mod-97-10: read as
    /// a number, with letters as 10 (A) to 35 (Z), it leaves 1 when divided by 97. An IBAN is tested with its first four
    /// characters moved to the end (<paramref name="moveFirstFourToEnd"/>).
    /// </summary>
    public static bool Mod97(ReadOnlySpan<char> value, bool moveFirstFourToEnd = false)
    {
        Span<char> alnum = stackalloc char[Math.Min(value.Length, 64)];
        var length = 0;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                continue;
            }

            if (length == alnum.Length)
            {
                return false;
            }

            alnum[length++] = char.ToUpperInvariant(c);
        }

        if (length < 5)
        {
            return false;
        }

        var shift = moveFirstFourToEnd ? 4 : 0;

        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = alnum[(i + shift) % length];
            remainder = char.IsAsciiDigit(c)
                ? (remainder * 10 + (c - '0')) % 97
                : (remainder * 100 + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }
}
