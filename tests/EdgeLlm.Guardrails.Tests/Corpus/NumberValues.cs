using System.Numerics;
using System.Text;

namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>
/// Card numbers and IBANs, valid and with a broken check digit, in the ways people write them. The check digits are
/// computed here independently of the detectors' own checksum code.
/// </summary>
internal static class NumberValues
{
    private static readonly (string Prefix, int Length)[] CardSchemes =
    [
        ("4", 16), ("4", 13), ("4", 19), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15),
        ("6011", 16), ("65", 16), ("644", 16), ("36", 14), ("3528", 16), ("3589", 16), ("62", 16), ("62", 19), ("67", 16),
    ];

    private static readonly (string Country, int Length, int BankLetters)[] IbanCountries =
    [
        ("DE", 22, 0), ("AT", 20, 0), ("CH", 21, 0), ("FR", 27, 0), ("ES", 24, 0), ("IT", 27, 1), ("BE", 16, 0),
        ("PL", 28, 0), ("SE", 24, 0), ("NO", 15, 0), ("DK", 18, 0), ("FI", 18, 0), ("PT", 25, 0), ("CZ", 24, 0),
        ("GB", 22, 4), ("NL", 18, 4), ("IE", 22, 4), ("MT", 31, 4), ("LU", 20, 0), ("SA", 24, 0),
    ];

    public static string Card(Random random, bool valid)
    {
        var (prefix, length) = CardSchemes[random.Next(CardSchemes.Length)];
        var digits = new StringBuilder(prefix);
        while (digits.Length < length - 1)
        {
            digits.Append((char)('0' + random.Next(10)));
        }

        var check = LuhnCheckDigit(digits.ToString());
        digits.Append((char)('0' + (valid ? check : (check + 1 + random.Next(9)) % 10)));
        return GroupCard(random, digits.ToString());
    }

    public static string Iban(Random random, bool valid)
    {
        var (country, length, bankLetters) = IbanCountries[random.Next(IbanCountries.Length)];
        var bban = new StringBuilder();
        for (var i = 0; i < bankLetters; i++)
        {
            bban.Append((char)('A' + random.Next(26)));
        }

        while (bban.Length < length - 4)
        {
            bban.Append((char)('0' + random.Next(10)));
        }

        var check = 98 - (int)(BigInteger.Parse(Numeric(bban + country + "00"), System.Globalization.CultureInfo.InvariantCulture) % 97);
        if (!valid)
        {
            // One changed digit always changes the remainder mod 97, so the check digits no longer fit.
            var at = bankLetters + random.Next(bban.Length - bankLetters);
            bban[at] = (char)('0' + (bban[at] - '0' + 1 + random.Next(9)) % 10);
        }

        var iban = country + check.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + bban;
        return random.Next(2) == 0 ? iban : string.Join(' ', iban.Chunk(4).Select(c => new string(c)));
    }

    private static string GroupCard(Random random, string digits)
    {
        var separator = random.Next(3) switch { 0 => "", 1 => " ", _ => "-" };
        if (separator.Length == 0)
        {
            return digits;
        }

        // American Express is written 4-6-5; the rest in fours.
        int[] groups = digits.Length == 15 ? [4, 6, 5] : Enumerable.Repeat(4, digits.Length / 4).Append(digits.Length % 4).Where(g => g > 0).ToArray();
        var parts = new List<string>();
        var at = 0;
        foreach (var g in groups)
        {
            parts.Add(digits.Substring(at, g));
            at += g;
        }

        return string.Join(separator, parts);
    }

    public static int LuhnCheckDigit(string payload)
    {
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var d = payload[payload.Length - 1 - i] - '0';
            // The check digit will sit to the right, so the payload's last digit is the first doubled.
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
        }

        return (10 - sum % 10) % 10;
    }

    private static string Numeric(string value) =>
        string.Concat(value.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
