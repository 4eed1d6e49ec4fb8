namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The issuer (IIN) ranges of the major card schemes and the lengths each issues: a Luhn-valid number outside them
/// is as likely an order or account number as a card.
/// </summary>
public static class CardIssuers
{
    private readonly record struct Range(int Low, int High, int PrefixDigits, int MinLength, int MaxLength);

    private static readonly Range[] Ranges =
    [
        new(4, 4, 1, 13, 19),              // Visa
        new(51, 55, 2, 16, 16),            // Mastercard
        new(2221, 2720, 4, 16, 16),        // Mastercard 2-series
        new(34, 34, 2, 15, 15),            // American Express
        new(37, 37, 2, 15, 15),            // American Express
        new(6011, 6011, 4, 16, 19),        // Discover
        new(644, 649, 3, 16, 19),          // Discover
        new(65, 65, 2, 16, 19),            // Discover
        new(300, 305, 3, 14, 19),          // Diners Club
        new(36, 36, 2, 14, 19),            // Diners Club
        new(38, 39, 2, 16, 19),            // Diners Club
        new(3528, 3589, 4, 16, 19),        // JCB
        new(62, 62, 2, 16, 19),            // UnionPay
        new(50, 50, 2, 12, 19),            // Maestro
        new(56, 58, 2, 12, 19),            // Maestro
        new(67, 67, 2, 12, 19),            // Maestro
    ];

    /// <summary>Whether <paramref name="digits"/> (digits only) starts in a known issuer range with a length it issues.</summary>
    public static bool IsKnown(ReadOnlySpan<char> digits)
    {
        foreach (var range in Ranges)
        {
            if (digits.Length < range.MinLength || digits.Length > range.MaxLength)
            {
                continue;
            }

            var prefix = int.Parse(digits[..range.PrefixDigits], provider: System.Globalization.CultureInfo.InvariantCulture);
            if (prefix >= range.Low && prefix <= range.High)
            {
                return true;
            }
        }

        return false;
    }
}
