namespace EdgeLlm.Guardrails.Detection;

/// <summary>What the built-in detectors' source-generated regexes share.</summary>
internal static class DetectorRegex
{
    /// <summary>
    /// The match timeout, in milliseconds. Every built-in pattern has bounded quantifiers and bounded lookarounds, so no
    /// input makes it more than linear; the timeout guards against a mistake in a pattern, not against input. It is
    /// generous because one match operation may scan a whole document, on a device busy with inference: a scan of
    /// 1 MB takes tens of milliseconds, and a tight limit would fail large inputs under load rather than hostile ones.
    /// </summary>
    public const int TimeoutMilliseconds = 10_000;

    /// <summary>
    /// Every span of a shape-only family's <paramref name="matches"/> (no checksum to decide them) as a plausible
    /// <paramref name="family"/> entity, made stronger by a context word before it.
    /// </summary>
    public static List<EntityMatch> Plausible(List<(int Index, int Length)> matches, string text, string family, ContextWords context)
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
