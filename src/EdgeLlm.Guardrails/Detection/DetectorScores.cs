namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The score scale every detector shares, in Presidio's spirit: a shape alone is weak, a distinctive shape is
/// plausible, a passing checksum is strong, and a context word just before the match raises any of them. A match
/// that fails its checksum never reaches <see cref="DetectionThreshold"/>, whatever its context.
/// </summary>
public static class DetectorScores
{
    /// <summary>The score from which a match counts as a detection (policies may choose their own).</summary>
    public const double DetectionThreshold = 0.5;

    /// <summary>Right shape, but the checksum or validity test failed, or the shape is common in other data.</summary>
    public const double FormatOnly = 0.3;

    /// <summary>A distinctive shape with no checksum to test: an e-mail address, an IP or MAC address.</summary>
    public const double Plausible = 0.6;

    /// <summary>A passing checksum (mod-97, Luhn with a known issuer range).</summary>
    public const double Checksum = 0.9;

    /// <summary>What a context word within the window before the match adds.</summary>
    public const double ContextBoost = 0.3;

    /// <summary>The highest a failed checksum can climb with context: below the threshold.</summary>
    public const double FailedChecksumCeiling = 0.45;

    /// <summary>The final score: the base raised by context, held under the threshold when a checksum failed.</summary>
    public static double Combine(double baseScore, bool contextFound, bool checksumFailed = false)
    {
        var score = contextFound ? baseScore + ContextBoost : baseScore;
        return Math.Min(score, checksumFailed ? FailedChecksumCeiling : 1.0);
    }
}
