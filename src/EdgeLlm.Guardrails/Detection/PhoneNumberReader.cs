using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Reads a phone candidate's digits the way libphonenumber's <c>Parse</c>, <c>IsValidNumber</c> and
/// <c>IsPossibleNumber</c> would, on compiled metadata (<see cref="PhoneRegionRules"/>), for a fraction of their cost.
/// A candidate's separators never change what the library reads (they are punctuation it drops; extensions need
/// letters or '#'), so the reading depends only on a leading '+' and the digits. The rare shapes it does not mirror
/// (an international dialling prefix, a non-geographic country code, a national prefix rewritten by a transform
/// rule) come back <see cref="PhoneReadingKind.Undecided"/> for the library itself to read.
/// </summary>
internal sealed class PhoneNumberReader
{
    private const int MinNationalLength = 2;
    private const int MaxNationalLength = 17;
    private const int MaxCountryCodeLength = 3;
    private const string NonGeographicRegion = "001";

    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();
    private static readonly ConcurrentDictionary<(int CountryCode, bool Compiled), CountryCodeRegions?> RegionsByCountryCode = new();

    private readonly PhoneRegionRules _home;
    private readonly string _homeCountryCode;

    /// <param name="region">The region for numbers written without '+' (ISO 3166 alpha-2, known to libphonenumber).</param>
    public PhoneNumberReader(string region)
    {
        _home = PhoneRegionRules.For(region, compiled: true);
        _homeCountryCode = _home.CountryCode.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What libphonenumber makes of <paramref name="digits"/>, with '+' in front when <paramref name="plus"/>.</summary>
    public PhoneReading Read(bool plus, string digits)
    {
        // maybeExtractCountryCode; the national number is then read by the home region's rules when no country code
        // was taken off, else by the main region of the code taken.
        int countryCode;
        string national;
        var extracted = true;
        if (plus && digits.Length <= MinNationalLength)
        {
            return PhoneReading.Unparsable;
        }

        if (plus && ExtractCountryCode(digits) is > 0 and var code)
        {
            // After a '+': the first one to three digits that are a country code.
            countryCode = code;
            national = digits[CountryCodeLength(code)..];
        }
        else if (_home.InternationalPrefix?.IsMatch(digits) == true)
        {
            return PhoneReading.Undecided;
        }
        else
        {
            var (decided, stripped) = HomeCountryCodeStripped(digits);
            if (!decided)
            {
                return PhoneReading.Undecided;
            }

            // After a '+' with no country code, the library reads the digits again without it, and only keeps a
            // country code found that way.
            if (plus && stripped is null)
            {
                return PhoneReading.Unparsable;
            }

            countryCode = _home.CountryCode;
            national = stripped ?? digits;
            extracted = stripped is not null;
        }

        if (RegionsOf(countryCode) is not { } regions)
        {
            return PhoneReading.Undecided;
        }

        // parseHelper: the national prefix comes off when what remains has a possible length.
        var main = regions.Main;
        var parsing = extracted ? main : _home;
        if (national.Length < MinNationalLength)
        {
            return PhoneReading.Unparsable;
        }

        if (parsing.StripNationalPrefix(national) is not { } withoutPrefix)
        {
            return PhoneReading.Undecided;
        }

        if (parsing.TestLength(withoutPrefix.Length) is not (LengthVerdict.TooShort or LengthVerdict.PossibleLocalOnly or LengthVerdict.InvalidLength))
        {
            national = withoutPrefix;
        }

        if (national.Length is < MinNationalLength or > MaxNationalLength)
        {
            return PhoneReading.Unparsable;
        }

        if (regions.IsValid(national))
        {
            return new PhoneReading(PhoneReadingKind.Valid, countryCode, national);
        }

        var possible = main.TestLength(national.Length) is LengthVerdict.Possible or LengthVerdict.PossibleLocalOnly;
        return new PhoneReading(possible ? PhoneReadingKind.InvalidButPossible : PhoneReadingKind.Invalid, countryCode, national);
    }

    /// <summary>format(number, NATIONAL) for a number this reader found valid.</summary>
    public string FormatNational(PhoneReading reading) => RegionsOf(reading.CountryCode)!.Main.FormatNational(reading.NationalNumber!);

    /// <summary>format(number, INTERNATIONAL) for a number this reader found valid.</summary>
    public string FormatInternational(PhoneReading reading) => RegionsOf(reading.CountryCode)!.Main.FormatInternational(reading.NationalNumber!);

    /// <summary>
    /// maybeExtractCountryCode without '+': digits that start with the home country code lose it when the rest, less
    /// a national prefix, matches the home pattern and the whole did not, or when the whole is too long. Stripped is
    /// null when the code stays; not decided when a transform rule would rewrite the rest.
    /// </summary>
    private (bool Decided, string? Stripped) HomeCountryCodeStripped(string digits)
    {
        if (!digits.StartsWith(_homeCountryCode, StringComparison.Ordinal))
        {
            return (true, null);
        }

        if (_home.StripNationalPrefix(digits[_homeCountryCode.Length..]) is not { } potential)
        {
            return (false, null);
        }

        var better = (!_home.MatchesGeneralPattern(digits) && _home.MatchesGeneralPattern(potential))
            || _home.TestLength(digits.Length) == LengthVerdict.TooLong;
        return (true, better ? potential : null);
    }

    private static int ExtractCountryCode(string digits)
    {
        if (digits[0] == '0')
        {
            return 0;
        }

        for (var length = 1; length <= MaxCountryCodeLength && length <= digits.Length; length++)
        {
            var code = int.Parse(digits.AsSpan(0, length), CultureInfo.InvariantCulture);
            if (Numbers.GetRegionCodeForCountryCode(code) != "ZZ")
            {
                return code;
            }
        }

        return 0;
    }

    private static int CountryCodeLength(int code) => code < 10 ? 1 : code < 100 ? 2 : 3;

    /// <summary>The regions sharing a country code, its main region first; null for a non-geographic code.</summary>
    private CountryCodeRegions? RegionsOf(int countryCode) =>
        RegionsByCountryCode.GetOrAdd((countryCode, countryCode == _home.CountryCode), static key =>
    {
        var regions = Numbers.GetRegionCodesForCountryCode(key.CountryCode);
        if (regions.Count == 0 || regions.Contains(NonGeographicRegion))
        {
            return null;
        }

        PhoneRegionRules[] rules = [.. regions.Select(r => PhoneRegionRules.For(r, key.Compiled))];
        var options = key.Compiled ? RegexOptions.CultureInvariant | RegexOptions.Compiled : RegexOptions.CultureInvariant;
        return rules.All(r => r.HasPossibleLengths) ? new CountryCodeRegions(rules, options) : null;
    });
}

internal enum PhoneReadingKind
{
    /// <summary>A shape this reader does not mirror: ask libphonenumber.</summary>
    Undecided,

    /// <summary>libphonenumber's Parse throws.</summary>
    Unparsable,

    /// <summary>Parsed, neither valid nor of a possible length.</summary>
    Invalid,

    /// <summary>Parsed, not valid, but of a possible length.</summary>
    InvalidButPossible,

    Valid,
}

/// <summary>A candidate as libphonenumber reads it: the kind, and for parsed numbers the country code and national significant number.</summary>
internal readonly record struct PhoneReading(PhoneReadingKind Kind, int CountryCode, string? NationalNumber)
{
    public static PhoneReading Undecided => new(PhoneReadingKind.Undecided, 0, null);

    public static PhoneReading Unparsable => new(PhoneReadingKind.Unparsable, 0, null);
}
