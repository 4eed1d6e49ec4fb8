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

    public IEnumerable<EntityMatch> Find(string text) => DetectorRegex.Plausible(Anchored, text, Family, context);

    // Every address has its first separator within five characters, between hex digits; the longest is 17, the
    // lookahead reads 2.
    internal static readonly AnchoredPattern Anchored = new(Addresses(), Anchors.BetweenHexDigits(":-."), anchorWithin: 4, reach: 17 + 2);

    [GeneratedRegex(
        @"(?<![\w:.-])(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2})(?![\w:-]|\.[0-9A-Fa-f])",
        RegexOptions.CultureInvariant,
        matchTimeoutMilliseconds: DetectorRegex.TimeoutMilliseconds)]
    private static partial Regex Addresses();
}
