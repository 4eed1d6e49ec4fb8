using System.Net;
using System.Net.Sockets;
namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// IPv6 addresses, full or compressed ("2001:db8::1"), with an embedded IPv4 tail ("::ffff:192.0.2.1"): a candidate of
/// hex groups and colons, confirmed by the runtime's own parser so only real addresses count. A bare "::" or an
/// address with very few hex digits ("a::b") is weak.
/// </summary>
public sealed class IPv6Detector(ContextWords context) : IEntityDetector
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
}
