using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// IPv4 addresses in dotted-quad form, each octet 0–255 without leading zeros. Not part of a longer dotted number
/// (a five-part version, an OID) nor inside a word ("v1.2.3.4").
/// </summary>
public sealed partial class IPv4Detector(ContextWords context) : IDigitRunDetector
{
    public string Family => PiiFamilies.IPv4;

    public int MaxMatchLength => "255.255.255.255".Length;

    public IEnumerable<EntityMatch> Find(string text) => DetectorRegex.Plausible(IPv4Addresses.Find(text), text, Family, context);

    List<EntityMatch> IDigitRunDetector.Find(string text, DigitRuns runs) => DetectorRegex.Plausible(IPv4Addresses.Find(text, runs), text, Family, context);

    // The definition the hand-read IPv4Addresses are held equal to, and its former anchored scan. Every address has a '.' between digits within its first four characters; the longest is 15 characters, the
    // lookahead reads 2.
    internal static readonly AnchoredPattern Anchored = new(Addresses(), Anchors.BetweenDigits("."), anchorWithin: 3, reach: 15 + 2);

    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    // The tail of an IPv6 address ("::ffff:192.0.2.1") is that address's, not one of its own.
    [GeneratedRegex(@"(?<![\w.]|:[0-9A-Fa-f]{0,4}:)" + Octet + @"(?:\." + Octet + @"){3}(?![\w]|\.[0-9])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: DetectorRegex.TimeoutMilliseconds)]
    private static partial Regex Addresses();
}
