namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// The bounds a policy document must keep, so that reading and compiling a hostile one costs bounded time and memory
/// (a few hundred milliseconds at most) and checking text against it stays linear. Generous for real policies: a
/// deny list of thousands of terms belongs in keywords (one expression per rule), not in patterns.
/// </summary>
public static class PolicyLimits
{
    /// <summary>The largest document read, in UTF-8 bytes: 256 KiB.</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    /// <summary>The deepest nesting of objects and arrays; a valid document needs 7 (tenant → custom detector → context words).</summary>
    public const int MaxDepth = 8;

    /// <summary>Tenants with their own policy in one document.</summary>
    public const int MaxTenants = 256;

    /// <summary>Custom patterns per policy.</summary>
    public const int MaxCustomDetectors = 32;

    /// <summary>Context words per detector.</summary>
    public const int MaxContextWords = 64;

    /// <summary>Deny rules per policy.</summary>
    public const int MaxDenyRules = 64;

    /// <summary>Keywords per deny rule.</summary>
    public const int MaxKeywordsPerRule = 512;

    /// <summary>Regular expressions per deny rule.</summary>
    public const int MaxPatternsPerRule = 32;

    /// <summary>
    /// Regular expressions compiled for a whole document, every tenant included: custom patterns, deny patterns, and
    /// one (or a few, when one would be too large for the engine) per deny rule's keywords. Building one costs about 2 ms on the shared 2-core development machine.
    /// </summary>
    public const int MaxExpressionsPerDocument = 256;

    /// <summary>
    /// Characters of regular expression compiled for a whole document (a rule's keywords count as their alternation,
    /// about 5 characters more than the keywords): building costs about 25 µs a character on the development machine,
    /// so this and <see cref="MaxExpressionsPerDocument"/> keep the worst document under about 1.5 s.
    /// </summary>
    public const int MaxExpressionCharactersPerDocument = 32 * 1024;

    /// <summary>The longest regular expression, in characters.</summary>
    public const int MaxPatternLength = 512;

    /// <summary>The longest keyword or context word, in characters.</summary>
    public const int MaxWordLength = 128;

    /// <summary>The longest text one custom pattern's hit may span (its <c>max_length</c>), in characters: the streaming filter holds back this much.</summary>
    public const int MaxCustomMatchLength = 256;

    /// <summary>The default <c>max_length</c> of a custom pattern, in characters.</summary>
    public const int DefaultCustomMatchLength = 64;

    /// <summary>Hazard categories the guard model is asked about.</summary>
    public const int MaxGuardCategories = 32;

    /// <summary>The shortest guard timeout accepted.</summary>
    public static readonly TimeSpan MinGuardTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest guard timeout accepted.</summary>
    public static readonly TimeSpan MaxGuardTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The guard timeout when a policy names none.</summary>
    public static readonly TimeSpan DefaultGuardTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A detector's <c>min_score</c> when a policy names none.</summary>
    public const double DefaultMinScore = 0.5;
}
