using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Runs one <see cref="CustomPattern"/>. The pattern is compiled for the non-backtracking engine, whose matching time is
/// linear in the input whatever the pattern, so no timeout is needed; a pattern that engine cannot run is refused here.
/// </summary>
public sealed class CustomPatternDetector : IEntityDetector
{
    private readonly CustomPattern _pattern;
    private readonly Regex _regex;
    private readonly ContextWords _context;

    /// <exception cref="ArgumentException">The name is not a valid family name, the pattern does not parse, or the
    /// non-backtracking engine cannot run it (lookarounds, backreferences, atomic groups).</exception>
    public CustomPatternDetector(CustomPattern pattern, int contextWindow)
        : this(pattern, Compile(pattern), contextWindow)
    {
    }

    /// <summary>For a pattern a policy document already compiled, with this engine and these options.</summary>
    internal CustomPatternDetector(CustomPattern pattern, Regex compiled, int contextWindow)
    {
        if (string.IsNullOrEmpty(pattern.Name) || pattern.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            throw new ArgumentException($"Custom pattern name '{pattern.Name}' must be letters, digits, '-' or '_'.", nameof(pattern));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(pattern.MaxLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pattern.Score);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pattern.Score, 1.0);
        _regex = compiled;
        _pattern = pattern;
        _context = new ContextWords(pattern.ContextWords, contextWindow);
    }

    /// <summary>The options every custom pattern runs with, here and in policy documents.</summary>
    internal const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    public string Family => _pattern.Family;

    public int MaxMatchLength => _pattern.MaxLength;

    public IEnumerable<EntityMatch> Find(string text)
    {
        var found = new List<EntityMatch>();
        foreach (var match in _regex.EnumerateMatches(text))
        {
            if (match.Length == 0 || match.Length > _pattern.MaxLength || InsideWord(text, match.Index, match.Length))
            {
                continue;
            }

            var value = text.AsSpan(match.Index, match.Length);
            var failed = _pattern.Checksum switch
            {
                PatternChecksum.Luhn => !Checksums.Luhn(value),
                PatternChecksum.Mod97 => !Checksums.Mod97(value),
                _ => false,
            };
            var baseScore = _pattern.Checksum == PatternChecksum.None ? _pattern.Score
                : failed ? DetectorScores.FormatOnly
                : DetectorScores.Checksum;
            var score = DetectorScores.Combine(baseScore, _context.AppearBefore(text, match.Index), failed);
            found.Add(new EntityMatch(Family, match.Index, match.Length, score));
        }

        return found;
    }

    private static Regex Compile(CustomPattern pattern)
    {
        try
        {
            return new Regex(pattern.Pattern, Options);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"Custom pattern '{pattern.Name}' cannot be used: {e.Message}", nameof(pattern), e);
        }
    }

    // The non-backtracking engine has no lookarounds, so "not inside a word" is checked on the match instead.
    private static bool InsideWord(string text, int start, int length)
    {
        var end = start + length;
        var before = start > 0 && IsWordChar(text[start - 1]) && IsWordChar(text[start]);
        var after = end < text.Length && IsWordChar(text[end]) && IsWordChar(text[end - 1]);
        return before || after;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
