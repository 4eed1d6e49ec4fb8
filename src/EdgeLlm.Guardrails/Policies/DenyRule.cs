using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// One named deny rule: text that holds any of its keywords (whole words, any case) or matches any of its patterns is
/// denied in the directions the rule names. Both run on the non-backtracking engine, so a check costs time linear in
/// the text whatever the rule says.
/// </summary>
/// <param name="Name">What a refusal, an audit record and a metric name the rule by.</param>
/// <param name="Directions">Where the rule applies; input and output unless the document says otherwise.</param>
/// <param name="Keywords">The keywords as written, for reading the policy back; matching uses one compiled expression.</param>
/// <param name="Patterns">The regular expressions, each compiled non-backtracking.</param>
public sealed record DenyRule(string Name, IReadOnlySet<GuardrailDirection> Directions, IReadOnlyList<string> Keywords, IReadOnlyList<Regex> Patterns)
{
    /// <summary>
    /// The keywords as alternations built by <see cref="KeywordExpression"/>: one, or a few when one would be larger
    /// than the engine's size limit; none when the rule has no keywords.
    /// </summary>
    internal IReadOnlyList<Regex> KeywordMatchers { get; init; } = [];

    internal bool Matches(string text) =>
        KeywordMatchers.Any(k => k.IsMatch(text)) || Patterns.Any(p => p.IsMatch(text));
}
