using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// MAC addresses in the three common notations: six hex pairs joined by colons or by hyphens (one kind throughout), or
/// three dot-separated groups of four (Cisco). Not inside a word or a longer run of the same shape.
/// </summary>
public sealed partial class MacAddressDetector(ContextWords context) : IEntityDetector
{
    public string Family => PiiFamilies.Mac;

    public int MaxMatchLength => "00:00:00:00:00:00".Length;

    public IEnumerable<EntityMatch> Find(string text) => DetectorRegex.Plausible(MacAddresses.Find(text), text, Family, context);

    // The definition the hand-read MacAddresses are held equal to, and its former anchored scan. Every address has its first separator within five characters, after its first group and before a second group
    // and the same separator again ("0a:1b:", "0a1b.2c3d."): phone numbers, dates and decimals start no window. The
    // longest is 17, the lookahead reads 2.
    internal static readonly AnchoredPattern Anchored = new(Addresses(), Anchors.Where(":-.", StartsAnAddress), anchorWithin: 4, reach: 17 + 2);

    private static bool StartsAnAddress(string text, int separator)
    {
        var group = text[separator] == '.' ? 4 : 2;
        return Anchors.HexDigitsAt(text, separator - group, group)
            && Anchors.HexDigitsAt(text, separator + 1, group)
            && separator + group + 1 < text.Length
            && text[separator + group + 1] == text[separator];
    }

    [GeneratedRegex(
        @"(?<![\w:.-])(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2})(?![\w:-]|\.[0-9A-Fa-f])",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: DetectorRegex.TimeoutMilliseconds)]
    private static partial Regex Addresses();
}
