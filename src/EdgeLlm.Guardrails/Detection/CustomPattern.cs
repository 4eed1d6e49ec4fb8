namespace EdgeLlm.Guardrails.Detection;

/// <summary>The check a configured pattern's matches must pass to score strong.</summary>
public enum PatternChecksum
{
    /// <summary>No check: every match scores <see cref="CustomPattern.Score"/>.</summary>
    None,

    /// <summary>Luhn over the match's digits (many national and employee IDs).</summary>
    Luhn,

    /// <summary>ISO 7064 mod-97-10 over the match's letters and digits, read as they stand.</summary>
    Mod97,
}

/// <summary>
/// A configured entity family, <c>custom:&lt;Name&gt;</c>: a .NET regular expression run by the non-backtracking engine
/// (so a hostile pattern cannot hang a request; lookarounds and backreferences are refused), an optional checksum, and
/// its own context words.
/// </summary>
public sealed record CustomPattern
{
    /// <summary>The family's name after <c>custom:</c>: letters, digits, '-' and '_'.</summary>
    public required string Name { get; init; }

    /// <summary>The regular expression one entity matches. Word boundaries are enforced around it.</summary>
    public required string Pattern { get; init; }

    /// <summary>The check a match must pass; one that fails is reported weak. Default: none.</summary>
    public PatternChecksum Checksum { get; init; } = PatternChecksum.None;

    /// <summary>The score of a match without a checksum. Default: 0.5 (a detection at the default threshold).</summary>
    public double Score { get; init; } = DetectorScores.DetectionThreshold;

    /// <summary>The longest match, in characters; longer matches are ignored. Bounds the streaming window. Default: 64.</summary>
    public int MaxLength { get; init; } = 64;

    /// <summary>Words that raise a match's score when they appear just before it. Default: none.</summary>
    public IReadOnlyList<string> ContextWords { get; init; } = [];

    public string Family => PiiFamilies.CustomPrefix + Name;
}
