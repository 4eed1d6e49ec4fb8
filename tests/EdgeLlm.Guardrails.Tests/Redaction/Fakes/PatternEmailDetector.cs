using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Redaction.Fakes;

/// <summary>
/// A small e-mail detector for redaction tests: bounded parts, so no match is longer than <see cref="MaxMatchLength"/>,
/// and a character of look-behind and look-ahead, the kind of context a real detector uses.
/// </summary>
internal sealed partial class PatternEmailDetector : IEntityDetector
{
    public string Family => "email";

    public int MaxMatchLength => 16 + 1 + (2 * 17) + 6;

    public IEnumerable<EntityMatch> Find(string text)
    {
        foreach (Match match in Pattern().Matches(text))
        {
            yield return new EntityMatch(Family, match.Index, match.Length, 0.9);
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,16}@(?:[A-Za-z0-9-]{1,16}\.){1,2}[A-Za-z]{2,6}(?![A-Za-z0-9-])")]
    private static partial Regex Pattern();
}
