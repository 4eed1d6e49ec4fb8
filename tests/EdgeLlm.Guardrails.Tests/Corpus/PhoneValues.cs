using PhoneNumbers;

namespace EdgeLlm.Guardrails.Tests.Corpus;

/// <summary>
/// Phone numbers: national ones of the detectors' default region (US) in its usual notations, foreign ones with '+',
/// and invalid ones written the same ways. Validity is libphonenumber's: the corpus asks it which generated numbers
/// are real, and the detector must then find them in running text.
/// </summary>
internal static class PhoneValues
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();
    private static readonly string[] Foreign = ["DE", "GB", "FR", "CH", "AT", "IT", "ES", "NL", "JP", "AU", "IN", "BR"];

    /// <summary>A valid number; <paramref name="solid"/>: written as a bare run of digits (found only with context).</summary>
    public static string Valid(Random random, bool solid)
    {
        if (solid)
        {
            return UsNumber(random, valid: true);
        }

        if (random.Next(3) == 0)
        {
            return ForeignNumber(random);
        }

        var digits = UsNumber(random, valid: true);
        var (area, exchange, line) = (digits[..3], digits[3..6], digits[6..]);
        return random.Next(8) switch
        {
            0 => $"({area}) {exchange}-{line}",
            1 => $"{area}-{exchange}-{line}",
            2 => $"{area}.{exchange}.{line}",
            3 => $"{area} {exchange} {line}",
            4 => $"+1 {area}-{exchange}-{line}",
            5 => $"+1{area}{exchange}{line}",
            6 => $"1-{area}-{exchange}-{line}",
            _ => $"+1 ({area}) {exchange}-{line}",
        };
    }

    /// <summary>A US-shaped number libphonenumber rejects (an area code or exchange starting 0 or 1).</summary>
    public static string Invalid(Random random)
    {
        var digits = UsNumber(random, valid: false);
        var (area, exchange, line) = (digits[..3], digits[3..6], digits[6..]);
        return random.Next(3) switch
        {
            0 => $"({area}) {exchange}-{line}",
            1 => $"{area}-{exchange}-{line}",
            _ => $"{area}.{exchange}.{line}",
        };
    }

    private static string UsNumber(Random random, bool valid)
    {
        while (true)
        {
            var area = valid ? random.Next(200, 1000) : random.Next(0, 200);
            var exchange = random.Next(valid ? 200 : 0, valid ? 1000 : 200);
            var digits = $"{area:000}{exchange:000}{random.Next(10000):0000}";
            var isValid = Numbers.IsValidNumber(Numbers.Parse(digits, "US"));
            if (isValid == valid)
            {
                return digits;
            }
        }
    }

    private static string ForeignNumber(Random random)
    {
        while (true)
        {
            var region = Foreign[random.Next(Foreign.Length)];
            var type = random.Next(2) == 0 ? PhoneNumberType.FIXED_LINE : PhoneNumberType.MOBILE;
            var example = Numbers.GetExampleNumberForType(region, type);
            var national = example.NationalNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Keep the leading digits (area or mobile prefix), vary the subscriber's.
            var keep = Math.Max(2, national.Length - 4);
            var varied = national[..keep] + string.Concat(Enumerable.Range(0, national.Length - keep).Select(_ => (char)('0' + random.Next(10))));
            var number = Numbers.Parse("+" + example.CountryCode + varied, region);
            if (!Numbers.IsValidNumber(number))
            {
                continue;
            }

            var international = Numbers.Format(number, PhoneNumberFormat.INTERNATIONAL);
            return random.Next(4) switch
            {
                0 => Numbers.Format(number, PhoneNumberFormat.E164),
                1 => international.Replace(' ', '-'),
                _ => international,
            };
        }
    }
}
