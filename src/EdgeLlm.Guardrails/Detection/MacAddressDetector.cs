using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// MAC addresses in the three common notations: six hex pairs joined by colons or by hyphens (one kind throughout), or
/// three dot-separated groups of four (Cisco). Not inside a word or a longer run of the same shape.
/// </summary>
public sealed class MacAddressDetector(ContextWords context) : IEntityDetector
{
    public string Family => PiiFamilies.Mac;

    public int MaxMatchLength => "00:00:00:00:00:00".Length;

    public IEnumerable<EntityMatch> Find(string text) => PlausibleMatches.Of(MacAddresses.Find(text), text, Family, context);
}
