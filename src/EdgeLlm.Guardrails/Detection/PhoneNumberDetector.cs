using PhoneNumbers;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Phone numbers: candidates of 7 to 17 digits, optionally with a '+' country code and an area code in parentheses,
/// grouped by spaces, dots, hyphens or slashes; each judged by libphonenumber's rules for the configured region (numbers
/// with '+' for any region), as <see cref="PhoneNumberReader"/> mirrors them on compiled metadata, or by the library
/// itself for the few shapes the reader leaves to it. A valid number written the way its country groups it, or with '+', is plausible; a valid
/// number written solid or grouped oddly is weak until a context word says "phone"; an invalid one stays weak.
/// </summary>
public sealed class PhoneNumberDetector : IDigitRunDetector
{
    private const int MinDigits = 7;
    private const int MaxDigits = 17;

    /// <summary>Valid, but a solid run of digits or an odd grouping: an order or account number looks the same.</summary>
    private const double ValidUnformatted = 0.4;

    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    private readonly string _region;
    private readonly PhoneNumberReader _reader;
    private readonly ContextWords _context;
    private readonly HashSet<int> _nationalDigitCounts;

    /// <param name="region">The ISO 3166 region for numbers written without '+', e.g. <c>US</c>, <c>DE</c>.</param>
    /// <param name="context">The words that raise a match's score.</param>
    public PhoneNumberDetector(string region, ContextWords context)
    {
        if (!IsKnownRegion(region))
        {
            throw new ArgumentException($"'{region}' is not a region libphonenumber knows (ISO 3166 alpha-2, e.g. US, DE).", nameof(region));
        }

        _region = region;
        _reader = new PhoneNumberReader(region);
        _context = context;
        _nationalDigitCounts = NationalDigitCounts(region);
    }

    /// <summary>Whether libphonenumber has metadata for <paramref name="region"/> (ISO 3166 alpha-2, upper case).</summary>
    public static bool IsKnownRegion(string region) => Numbers.GetSupportedRegions().Contains(region);

    public string Family => PiiFamilies.Phone;

    // Digits, one separator after each, a '+', a country code's and an area code's parentheses.
    public int MaxMatchLength => MaxDigits * 2 + 4;

    public IEnumerable<EntityMatch> Find(string text)
    {
        using var runs = DigitRuns.Of(text);
        return ((IDigitRunDetector)this).Find(text, runs);
    }

    List<EntityMatch> IDigitRunDetector.Find(string text, DigitRuns runs)
    {
        var found = new List<EntityMatch>();
        foreach (var candidate in PhoneCandidates.Find(text, runs))
        {
            // About half the candidates fail on their digit count alone: decided before the string libphonenumber needs is made.
            if (!HasPossibleDigitCount(text.AsSpan(candidate.Index, candidate.Length)))
            {
                continue;
            }

            if (Score(text.AsSpan(candidate.Index, candidate.Length)) is not { } baseScore)
            {
                continue;
            }

            var invalid = baseScore == DetectorScores.FormatOnly;
            var score = DetectorScores.Combine(baseScore, _context.AppearBefore(text, candidate.Index), checksumFailed: invalid);
            found.Add(new EntityMatch(Family, candidate.Index, candidate.Length, score));
        }

        return found;
    }

    /// <summary>The phone-shaped runs in <paramref name="text"/> that have a digit count a number can have, as <c>(Index, Length)</c>.</summary>
    internal IEnumerable<(int Index, int Length)> Candidates(string text) =>
        PhoneCandidates.Find(text).Where(c => HasPossibleDigitCount(text.AsSpan(c.Index, c.Length)));

    private bool HasPossibleDigitCount(ReadOnlySpan<char> raw)
    {
        var digits = 0;
        foreach (var c in raw)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return digits is >= MinDigits and <= MaxDigits && (raw[0] == '+' || _nationalDigitCounts.Contains(digits));
    }

    /// <summary>
    /// The candidate's base score, or null when it is no phone number: read by <see cref="PhoneNumberReader"/>, with
    /// libphonenumber itself deciding the shapes the reader leaves to it; the same as <see cref="ScoreByLibphonenumber"/>.
    /// </summary>
    internal double? Score(string raw) => Score(raw.AsSpan());

    // The candidate stays a span: only the few the library reads need a string of their own.
    private double? Score(ReadOnlySpan<char> raw)
    {
        var reading = _reader.Read(raw[0] == '+', Digits(raw));
        switch (reading.Kind)
        {
            case PhoneReadingKind.Undecided:
                return ScoreByLibphonenumber(raw.ToString());
            case PhoneReadingKind.Unparsable or PhoneReadingKind.Invalid:
                return null;
            case PhoneReadingKind.InvalidButPossible:
                return DetectorScores.FormatOnly;
        }

        if (raw[0] == '+')
        {
            return DetectorScores.Plausible;
        }

        if (!HasSeveralDigitGroups(raw))
        {
            return ValidUnformatted;
        }

        if (SameDigitGroups(raw, _reader.FormatNational(reading)))
        {
            return DetectorScores.Plausible;
        }

        // Grouped as the international form ("1-212-…") only when written from the country code.
        var international = StartsWithCountryCode(raw, reading.CountryCode)
            && SameDigitGroups(raw, _reader.FormatInternational(reading));
        return international ? DetectorScores.Plausible : ValidUnformatted;
    }

    /// <summary>The score from libphonenumber's own parse, validation and formatting: the reference the reader must match.</summary>
    internal double? ScoreByLibphonenumber(string raw)
    {
        PhoneNumber number;
        try
        {
            number = Numbers.Parse(raw, _region);
        }
        catch (NumberParseException)
        {
            return null;
        }

        if (!Numbers.IsValidNumber(number))
        {
            return Numbers.IsPossibleNumber(number) ? DetectorScores.FormatOnly : null;
        }

        if (raw.StartsWith('+'))
        {
            return DetectorScores.Plausible;
        }

        if (!HasSeveralDigitGroups(raw))
        {
            return ValidUnformatted;
        }

        // Formatting costs microseconds: the international form is only worth it when the text starts with the country code.
        var grouped = SameDigitGroups(raw, Numbers.Format(number, PhoneNumberFormat.NATIONAL))
            || (StartsWithCountryCode(raw, number.CountryCode)
                && SameDigitGroups(raw, Numbers.Format(number, PhoneNumberFormat.INTERNATIONAL)));
        return grouped ? DetectorScores.Plausible : ValidUnformatted;
    }

    private static string Digits(ReadOnlySpan<char> raw)
    {
        Span<char> digits = stackalloc char[raw.Length];
        var count = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
        }

        return new string(digits[..count]);
    }

    private static bool StartsWithCountryCode(ReadOnlySpan<char> raw, int countryCode)
    {
        var first = raw[raw.IndexOfAnyInRange('0', '9')..];
        Span<char> code = stackalloc char[11];
        countryCode.TryFormat(code, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        code = code[..written];
        return first.StartsWith(code) && (first.Length == code.Length || !char.IsAsciiDigit(first[code.Length]));
    }

    /// <summary>Whether <paramref name="value"/> has more than one run of digits: "(212) 234-5678" has three.</summary>
    private static bool HasSeveralDigitGroups(ReadOnlySpan<char> value)
    {
        var at = 0;
        return NextDigitGroup(value, ref at) > 0 && NextDigitGroup(value, ref at) > 0;
    }

    /// <summary>Whether the digit runs of <paramref name="a"/> and <paramref name="b"/> have the same lengths in the same order: "(212) 234-5678" and "212.234.5678" do.</summary>
    private static bool SameDigitGroups(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int inA = 0, inB = 0;
        while (NextDigitGroup(a, ref inA) is var group && group == NextDigitGroup(b, ref inB))
        {
            if (group == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of the next run of digits from <paramref name="at"/> on (0 when none), <paramref name="at"/> moved past it.</summary>
    private static int NextDigitGroup(ReadOnlySpan<char> value, ref int at)
    {
        while (at < value.Length && !char.IsAsciiDigit(value[at]))
        {
            at++;
        }

        var start = at;
        while (at < value.Length && char.IsAsciiDigit(value[at]))
        {
            at++;
        }

        return at - start;
    }

    /// <summary>
    /// How many digits a number written without '+' can have in the region: its national lengths, with the trunk prefix
    /// ("0" in DE, "1" in US) or the country code in front. Parsing costs microseconds; most digit runs fail this first.
    /// </summary>
    private static HashSet<int> NationalDigitCounts(string region)
    {
        var metadata = Numbers.GetMetadataForRegion(region);
        var lengths = metadata.GeneralDesc.PossibleLengthList;
        var prefix = metadata.NationalPrefix?.Length ?? 0;
        var countryCode = metadata.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        return [.. lengths, .. lengths.Select(l => l + prefix), .. lengths.Select(l => l + countryCode)];
    }
}
