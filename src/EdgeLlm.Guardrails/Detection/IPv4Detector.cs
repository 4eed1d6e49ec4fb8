using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// IPv4 addresses in dotted-quad form, each octet 0–255 without leading zeros. Not part of a longer dotted number
/// (a five-part version, an OID) nor inside a word ("v1.2.3.4").
/// </summary>
public sealed class IPv4Detector(ContextWords context) : IDigitRunDetector
{
    public string Family => PiiFamilies.IPv4;

    public int MaxMatchLength => "255.255.255.255".Length;

    public IEnumerable<EntityMatch> Find(string text) => PlausibleMatches.Of(IPv4Addresses.Find(text), text, Family, context);

    List<EntityMatch> IDigitRunDetector.Find(string text, DigitRuns runs) => PlausibleMatches.Of(IPv4Addresses.Find(text, runs), text, Family, context);
}
