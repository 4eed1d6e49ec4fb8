using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// The patterns the IPv4, IPv6 and MAC detectors ran before they read addresses by hand, unchanged: the definitions
/// <see cref="EdgeLlm.Guardrails.Detection.IPv4Addresses"/>, <see cref="EdgeLlm.Guardrails.Detection.IPv6Candidates"/> and
/// <see cref="EdgeLlm.Guardrails.Detection.MacAddresses"/> are held equal to.
/// </summary>
internal static partial class FormerPatterns
{
    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    // The tail of an IPv6 address ("::ffff:192.0.2.1") is that address's, not one of its own.
    [GeneratedRegex(@"(?<![\w.]|:[0-9A-Fa-f]{0,4}:)" + Octet + @"(?:\." + Octet + @"){3}(?![\w]|\.[0-9])", RegexOptions.CultureInvariant)]
    public static partial Regex IPv4();

    // Two to seven "group:" (a group may be empty, for "::"), then a last group or an IPv4 tail; not inside a word or
    // a longer colon-separated run.
    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])", RegexOptions.CultureInvariant)]
    public static partial Regex IPv6();

    [GeneratedRegex(
        @"(?<![\w:.-])(?:[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2})(?![\w:-]|\.[0-9A-Fa-f])",
        RegexOptions.CultureInvariant)]
    public static partial Regex Mac();
}
