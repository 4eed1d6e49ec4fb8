using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// One region's libphonenumber metadata with its patterns compiled once: the pieces of the library's parse, validity
/// and national-format rules that a phone candidate needs, run without the library's per-call string handling and
/// regex cache. Each method mirrors one function of libphonenumber (named in its comment); they agree with the library
/// on every number (<c>PhoneNumberRulesTests</c> compares them on the corpus and on random numbers).
/// </summary>
internal sealed class PhoneRegionRules
{
    private static readonly ConcurrentDictionary<(string Region, bool Compiled), PhoneRegionRules> Built = new();

    private readonly NumberDesc _general;
    private readonly NumberDesc[] _types;
    private readonly int[] _possibleLengths;
    private readonly int[] _localOnlyLengths;
    private readonly Regex? _nationalPrefixForParsing;
    private readonly bool _hasTransformRule;
    private readonly Regex? _leadingDigits;
    private readonly Lazy<FormatRule[]> _nationalFormats;
    private readonly Lazy<FormatRule[]> _internationalFormats;

    private readonly RegexOptions _options;

    private PhoneRegionRules(PhoneMetadata metadata, RegexOptions options)
    {
        _options = options;
        CountryCode = metadata.CountryCode;
        _general = new NumberDesc(metadata.GeneralDesc, options);
        // For validity getNumberTypeHelper's order does not matter, only whether one type matches: the common ones go
        // first. The mobile pattern is not consulted when the region declares it the same as the fixed-line one.
        var types = new List<PhoneNumberDesc> { metadata.FixedLine };
        if (!metadata.SameMobileAndFixedLinePattern)
        {
            types.Add(metadata.Mobile);
        }

        types.AddRange([
            metadata.TollFree, metadata.PremiumRate, metadata.SharedCost, metadata.Voip, metadata.PersonalNumber,
            metadata.Pager, metadata.Uan, metadata.Voicemail,
        ]);

        _types = [.. types.Where(d => d is not null).Select(d => new NumberDesc(d, options))];
        _possibleLengths = [.. metadata.GeneralDesc.PossibleLengthList];
        _localOnlyLengths = [.. metadata.GeneralDesc.PossibleLengthLocalOnlyList];
        _nationalPrefixForParsing = string.IsNullOrEmpty(metadata.NationalPrefixForParsing) ? null : Prefix(metadata.NationalPrefixForParsing);
        _hasTransformRule = !string.IsNullOrEmpty(metadata.NationalPrefixTransformRule);
        LeadingDigits = string.IsNullOrEmpty(metadata.LeadingDigits) ? null : metadata.LeadingDigits;
        _leadingDigits = LeadingDigits is null ? null : Prefix(LeadingDigits);
        InternationalPrefix = string.IsNullOrEmpty(metadata.InternationalPrefix) ? null : Prefix(metadata.InternationalPrefix);
        _nationalFormats = new(() => [.. metadata.NumberFormatList.Select(f => new FormatRule(f, national: true, options))]);
        // formatNsn: the international formats where the region lists any, else the national ones without the national prefix.
        var international = metadata.IntlNumberFormatList.Count > 0 ? metadata.IntlNumberFormatList : metadata.NumberFormatList;
        _internationalFormats = new(() => [.. international.Select(f => new FormatRule(f, national: false, options))]);
    }

    public int CountryCode { get; }

    /// <summary>The pattern a number's start matches when it belongs to this region rather than to its country code's main one.</summary>
    public string? LeadingDigits { get; }

    /// <summary>The region's international dialling prefix ("011" in the US), matched at the start; null when none.</summary>
    public Regex? InternationalPrefix { get; }

    /// <summary>Whether the region's general length list is usable (every geographic region's is).</summary>
    public bool HasPossibleLengths => _possibleLengths.Length > 0;

    /// <summary>
    /// The rules of a region libphonenumber knows, built on first use and shared by every detector. Compiled patterns
    /// match several times faster but cost milliseconds each to build: worth it for the home country code's regions,
    /// which read most candidates, not for the dozens of foreign codes a text may hold.
    /// </summary>
    public static PhoneRegionRules For(string region, bool compiled) =>
        Built.GetOrAdd((region, compiled), static key => new PhoneRegionRules(
            PhoneNumberUtil.GetInstance().GetMetadataForRegion(key.Region),
            key.Compiled ? RegexOptions.CultureInvariant | RegexOptions.Compiled : RegexOptions.CultureInvariant));

    /// <summary>matchNationalNumber against the general description: the pattern alone, lengths not consulted.</summary>
    public bool MatchesGeneralPattern(string number) => _general.MatchesPattern(number);

    /// <summary>The number's region is this one by its leading digits (getRegionCodeForNumberFromRegionList).</summary>
    public bool? LeadingDigitsMatch(string nationalNumber) => _leadingDigits?.IsMatch(nationalNumber);

    /// <summary>getNumberTypeHelper(…) != UNKNOWN: the general description and at least one number type match.</summary>
    public bool IsValid(string nationalNumber)
    {
        if (!_general.Matches(nationalNumber))
        {
            return false;
        }

        foreach (var type in _types)
        {
            if (type.Matches(nationalNumber))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>testNumberLength for the UNKNOWN type, on the general description's lengths.</summary>
    public LengthVerdict TestLength(int length)
    {
        if (_localOnlyLengths.Contains(length))
        {
            return LengthVerdict.PossibleLocalOnly;
        }

        var minimum = _possibleLengths[0];
        return minimum == length ? LengthVerdict.Possible
            : minimum > length ? LengthVerdict.TooShort
            : _possibleLengths[^1] < length ? LengthVerdict.TooLong
            : _possibleLengths.AsSpan(1).Contains(length) ? LengthVerdict.Possible
            : LengthVerdict.InvalidLength;
    }

    /// <summary>
    /// maybeStripNationalPrefixAndCarrierCode: the national prefix ("1" in the US, "0" in DE) taken off the front unless
    /// that turns a number matching the general pattern into one that does not. Null when a transform rule would rewrite
    /// the number instead (Argentina, Mexico): the library decides those.
    /// </summary>
    public string? StripNationalPrefix(string number)
    {
        if (number.Length == 0 || _nationalPrefixForParsing?.Match(number) is not { Success: true } prefix)
        {
            return number;
        }

        if (_hasTransformRule && prefix.Groups[^1].Success)
        {
            return null;
        }

        var stripped = number[prefix.Length..];
        return _general.MatchesPattern(number) && !_general.MatchesPattern(stripped) ? number : stripped;
    }

    /// <summary>format(…, NATIONAL) of a national significant number: the first format whose leading digits and pattern fit.</summary>
    public string FormatNational(string nationalNumber) => Format(_nationalFormats.Value, nationalNumber);

    /// <summary>format(…, INTERNATIONAL): "+", the country code, a space, and the number in its international format.</summary>
    public string FormatInternational(string nationalNumber) =>
        "+" + CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Format(_internationalFormats.Value, nationalNumber);

    private static string Format(FormatRule[] formats, string nationalNumber)
    {
        foreach (var format in formats)
        {
            if (format.Fits(nationalNumber))
            {
                return format.Apply(nationalNumber);
            }
        }

        return nationalNumber;
    }

    private Regex Prefix(string pattern) => Prefix(pattern, _options);

    private static Regex Prefix(string pattern, RegexOptions options) => new(@"\A(?:" + pattern + ")", options);

    private static Regex Whole(string pattern, RegexOptions options) => new(@"\A(?:" + pattern + @")\z", options);

    /// <summary>
    /// isNumberMatchingDesc: the description's lengths (when it lists any) and its whole pattern, compiled when first
    /// needed: a country code shared by many regions (NANP's 25) mostly needs only their leading digits.
    /// </summary>
    private sealed class NumberDesc(PhoneNumberDesc desc, RegexOptions options)
    {
        private readonly int[] _lengths = [.. desc.PossibleLengthList];
        private readonly string _source = desc.NationalNumberPattern ?? string.Empty;
        private Regex? _pattern;

        public bool Matches(string number) => (_lengths.Length == 0 || _lengths.Contains(number.Length)) && MatchesPattern(number);

        // Two threads may both compile it the first time; either result is the same pattern.
        public bool MatchesPattern(string number) => _source.Length > 0 && (_pattern ??= Whole(_source, options)).IsMatch(number);
    }

    /// <summary>One number format: chooseFormattingPatternForNumber's test and formatNsnUsingPattern's rewrite.</summary>
    private sealed class FormatRule
    {
        private readonly Regex? _leadingDigits;
        private readonly Regex _pattern;
        private readonly Regex _rewrite;
        private readonly string _rule;

        public FormatRule(NumberFormat format, bool national, RegexOptions options)
        {
            _leadingDigits = format.LeadingDigitsPatternCount == 0 ? null : Prefix(format.LeadingDigitsPatternList[^1], options);
            _pattern = Whole(format.Pattern, options);
            // The rewrite is the library's replaceAll with the unanchored pattern, as it formats.
            _rewrite = new Regex(format.Pattern, options);
            // Nationally, the national prefix's formatting rule ("($1)", "0$1") takes the place of the first group's reference.
            _rule = !national || string.IsNullOrEmpty(format.NationalPrefixFormattingRule)
                ? format.Format
                : FirstGroup.Replace(format.Format, format.NationalPrefixFormattingRule, 1);
        }

        public bool Fits(string nationalNumber) => (_leadingDigits?.IsMatch(nationalNumber) ?? true) && _pattern.IsMatch(nationalNumber);

        public string Apply(string nationalNumber) => _rewrite.Replace(nationalNumber, _rule);
    }

    private static readonly Regex FirstGroup = new(@"(\$\d)", RegexOptions.CultureInvariant);
}

/// <summary>libphonenumber's ValidationResult for a length, as far as parsing and IsPossibleNumber need it.</summary>
internal enum LengthVerdict
{
    Possible,
    PossibleLocalOnly,
    TooShort,
    TooLong,
    InvalidLength,
}
