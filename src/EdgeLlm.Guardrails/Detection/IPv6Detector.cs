using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// IPv6 addresses, full or compressed ("2001:db8::1"), with an embedded IPv4 tail ("::ffff:192.0.2.1"): a candidate of
/// hex groups and colons, confirmed by the runtime's own parser so only real addresses count. A bare "::" or an
/// address with very few hex digits ("a::b") is weak.
/// </summary>
public sealed partial class IPv6Detector(ContextWords context) : IEntityDetector
{
    private const int MinDigitsForPlausible = 4;

    public string Family => PiiFamilies.IPv6;

    public int MaxMatchLength => "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".Length;

    public IEnumerable<EntityMatch> Find(string text)
    {
        var found = new List<EntityMatch>();
        foreach (var candidate in IPv6Candidates.Find(text))
        {
            var value = text.AsSpan(candidate.Index, candidate.Length);
            if (!IPAddress.TryParse(value, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                continue;
            }

            var digits = value.Length - value.Count(':') - value.Count('.');
            var baseScore = digits >= MinDigitsForPlausible ? DetectorScores.Plausible : DetectorScores.FormatOnly;
            var score = DetectorScores.Combine(baseScore, context.AppearBefore(text, candidate.Index));
            found.Add(new EntityMatch(Family, candidate.Index, candidate.Length, score));
        }

        return found;
    }

    // The definition the hand-read IPv6Candidates are held equal to, and its former anchored scan. Every candidate has a
    // ':' within its first five characters, followed by the next group's hex digit or ':' (a
    // colon before a space or a quote, as in prose and JSON, starts none); the longest is seven groups of four and a
    // colon and an IPv4 tail (50), the lookahead reads 2.
    internal static readonly AnchoredPattern Anchored = new(Candidates(), Anchors.Before(":", "0123456789ABCDEFabcdef:"), anchorWithin: 4, reach: 50 + 2);

    // Two to seven "group:" (a group may be empty, for "::"), then a last group or an IPv4 tail; not inside a word or
    // a longer colon-separated run.
    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: DetectorRegex.TimeoutMilliseconds)]
    private static partial Regex Candidates();
}
