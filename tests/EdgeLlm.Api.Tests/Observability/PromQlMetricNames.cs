using System.Text.RegularExpressions;

namespace EdgeLlm.Api.Tests.Observability;

/// <summary>
/// The metric names a PromQL expression reads. Strings, label matchers (<c>{…}</c>), ranges and subqueries
/// (<c>[…]</c>) and the label lists of <c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c>, <c>group_left</c> and
/// <c>group_right</c> are removed first; of what is left, an identifier followed by <c>(</c> is a function or an
/// aggregation, and the operators' keywords are not names. What remains is every selector's metric name.
/// </summary>
internal static partial class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "atan2", "inf", "nan",
    };

    public static IReadOnlySet<string> In(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        return Tokens().Matches(text)
            .Where(t => t.Groups["name"].Success && !t.Groups["call"].Success && !Keywords.Contains(t.Groups["name"].Value.ToLowerInvariant()))
            .Select(t => t.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelLists();

    // A number (with an exponent or a duration's unit) is matched first, so "1e3" or "5m" never yields a name.
    [GeneratedRegex(@"\d[\d.]*(?:[eE][+-]?\d+)?[a-zA-Z]*|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Tokens();
}
