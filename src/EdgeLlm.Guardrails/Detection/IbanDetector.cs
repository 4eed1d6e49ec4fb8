namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// IBANs, written solid or in groups ("DE89 3704 0044 0532 0130 00"): a known country code, that country's length, and
/// the mod-97 check. A right-length candidate that fails the check is reported weak.
/// </summary>
public sealed class IbanDetector(ContextWords context) : IDigitRunDetector
{
    public string Family => PiiFamilies.Iban;

    // Every character may be followed by one separator.
    public int MaxMatchLength => IbanLengths.Max * 2;

    public IEnumerable<EntityMatch> Find(string text)
    {
        using var runs = DigitRuns.Of(text);
        return ((IDigitRunDetector)this).Find(text, runs);
    }

    List<EntityMatch> IDigitRunDetector.Find(string text, DigitRuns runs)
    {
        var found = new List<EntityMatch>();
        foreach (var candidate in IbanCandidates.Find(text, runs))
        {
            if (Measure(text, candidate.Index, candidate.Length) is not { } end)
            {
                continue;
            }

            var value = text.AsSpan(candidate.Index, end - candidate.Index);
            var valid = Checksums.Mod97(value, moveFirstFourToEnd: true);
            var baseScore = valid ? DetectorScores.Checksum : DetectorScores.FormatOnly;
            var score = DetectorScores.Combine(baseScore, context.AppearBefore(text, candidate.Index), checksumFailed: !valid);
            found.Add(new EntityMatch(Family, candidate.Index, end - candidate.Index, score));
        }

        return found;
    }

    /// <summary>
    /// Where the IBAN in a candidate ends: after exactly its country's number of characters, at a boundary. The
    /// candidate may run on into a following word or number written in the same groups; those are not part of it.
    /// </summary>
    private static int? Measure(string text, int start, int length)
    {
        if (IbanLengths.Of(text.AsSpan(start, 2)) is not { } expected)
        {
            return null;
        }

        var counted = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]))
            {
                continue;
            }

            if (++counted == expected)
            {
                var end = i + 1;
                return end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_') ? end : null;
            }
        }

        return null;
    }
}
