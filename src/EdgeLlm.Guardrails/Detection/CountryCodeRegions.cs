using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The regions that share one country code (NANP's 25 share 1), its main region first, and libphonenumber's
/// isValidNumber over them: the number belongs to the first region whose leading digits it starts with, or, for a
/// region without leading digits, where it is valid; it is valid if it is valid there.
/// </summary>
internal sealed class CountryCodeRegions
{
    private readonly PhoneRegionRules[] _regions;
    private readonly int _tailStart;
    private readonly Regex? _tailLeadingDigits;

    public CountryCodeRegions(PhoneRegionRules[] regions, RegexOptions options)
    {
        _regions = regions;
        // The regions from the last one without leading digits on are told apart by their leading digits, in order;
        // one alternation of them all says whether any matches (a number not in the US fails its 24 neighbours'
        // patterns in one call).
        _tailStart = Array.FindLastIndex(regions, r => r.LeadingDigits is null) + 1;
        var tail = regions[_tailStart..];
        if (tail.Length > 1)
        {
            var alternatives = tail.Select(r => $"(?:{r.LeadingDigits})");
            _tailLeadingDigits = new Regex(@"\A(?:" + string.Join('|', alternatives) + ")", options | RegexOptions.ExplicitCapture);
        }
    }

    public PhoneRegionRules Main => _regions[0];

    public bool IsValid(string nationalNumber)
    {
        if (_regions.Length == 1)
        {
            return _regions[0].IsValid(nationalNumber);
        }

        for (var i = 0; i < _tailStart; i++)
        {
            switch (_regions[i].LeadingDigitsMatch(nationalNumber))
            {
                case true:
                    return _regions[i].IsValid(nationalNumber);
                case null when _regions[i].IsValid(nationalNumber):
                    return true;
            }
        }

        if (_tailLeadingDigits is null)
        {
            return _tailStart < _regions.Length && _regions[_tailStart].LeadingDigitsMatch(nationalNumber) == true
                && _regions[_tailStart].IsValid(nationalNumber);
        }

        if (!_tailLeadingDigits.IsMatch(nationalNumber))
        {
            return false;
        }

        // The alternative that matched is the first region whose leading digits match: found region by region only
        // for the few numbers that match one (reading it from the match's groups built two dozen group objects).
        for (var i = _tailStart; i < _regions.Length; i++)
        {
            if (_regions[i].LeadingDigitsMatch(nationalNumber) == true)
            {
                return _regions[i].IsValid(nationalNumber);
            }
        }

        return false;
    }
}
