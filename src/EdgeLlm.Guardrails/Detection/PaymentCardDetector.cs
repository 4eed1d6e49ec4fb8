namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Payment card numbers: 13 to 19 digits, solid or grouped by spaces or hyphens. A Luhn-valid number in a known issuer
/// range is strong; Luhn-valid elsewhere, or a failed Luhn check in a known range, is weak; anything else is dropped.
/// </summary>
public sealed class PaymentCardDetector(ContextWords context) : IDigitRunDetector
{
    private const int MaxDigits = CardCandidates.MaxDigits;

    /// <summary>Luhn-valid but outside every issuer range: a card only if the text says so.</summary>
    private const double UnknownIssuer = 0.4;

    public string Family => PiiFamilies.Card;

    public int MaxMatchLength => MaxDigits * 2 - 1;

    public IEnumerable<EntityMatch> Find(string text)
    {
        using var runs = DigitRuns.Of(text);
        return ((IDigitRunDetector)this).Find(text, runs);
    }

    List<EntityMatch> IDigitRunDetector.Find(string text, DigitRuns runs)
    {
        var found = new List<EntityMatch>();
        Span<char> buffer = stackalloc char[MaxDigits];
        foreach (var candidate in CardCandidates.Find(text, runs))
        {
            var raw = text.AsSpan(candidate.Index, candidate.Length);
            var digits = buffer;
            var count = 0;
            foreach (var c in raw)
            {
                if (char.IsAsciiDigit(c))
                {
                    digits[count++] = c;
                }
            }

            digits = digits[..count];
            if (count < CardCandidates.MinDigits || !HasConsistentSeparators(raw))
            {
                continue;
            }

            var luhn = Checksums.Luhn(digits);
            var known = CardIssuers.IsKnown(digits);
            if (!luhn && !known)
            {
                continue;
            }

            var baseScore = luhn && known ? DetectorScores.Checksum : luhn ? UnknownIssuer : DetectorScores.FormatOnly;
            var score = DetectorScores.Combine(baseScore, context.AppearBefore(text, candidate.Index), checksumFailed: !luhn);
            found.Add(new EntityMatch(Family, candidate.Index, candidate.Length, score));
        }

        return found;
    }

    /// <summary>"4111 1111-1111 1111" mixes separators the way no one writes a card number.</summary>
    private static bool HasConsistentSeparators(ReadOnlySpan<char> raw) => !(raw.Contains(' ') && raw.Contains('-'));
}
