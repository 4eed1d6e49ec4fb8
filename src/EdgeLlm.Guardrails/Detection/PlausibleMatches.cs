namespace EdgeLlm.Guardrails.Detection;

/// <summary>The scores of a shape-only family's matches (IPv4, MAC): no checksum decides them.</summary>
internal static class PlausibleMatches
{
    /// <summary>
    /// Every span of <paramref name="matches"/> as a plausible <paramref name="family"/> entity, made stronger by a
    /// context word before it.
    /// </summary>
    public static List<EntityMatch> Of(List<(int Index, int Length)> matches, string text, string family, ContextWords context)
    {
        var found = new List<EntityMatch>(matches.Count);
        foreach (var match in matches)
        {
            var score = DetectorScores.Combine(DetectorScores.Plausible, context.AppearBefore(text, match.Index));
            found.Add(new EntityMatch(family, match.Index, match.Length, score));
        }

        return found;
    }
}
