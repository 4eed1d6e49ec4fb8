using System.Text;
using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Turns a deny rule's keywords into one expression: each keyword escaped, bounded by <c>\b</c> on each side that ends
/// in a word character (so <c>c++</c> still works), its inner spaces matching any run of white space ("credit card"
/// matches across a line break). One alternation scans the text once, however many keywords there are.
/// </summary>
internal static partial class KeywordExpression
{
    public static string For(IEnumerable<string> keywords)
    {
        var pattern = new StringBuilder();
        foreach (var keyword in keywords)
        {
            var words = keyword.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            pattern.Append(pattern.Length == 0 ? "" : "|")
                .Append(WordCharacter().IsMatch(words[0][..1]) ? @"\b" : "")
                .AppendJoin(@"\s+", words.Select(Regex.Escape))
                .Append(WordCharacter().IsMatch(words[^1][^1..]) ? @"\b" : "");
        }

        return pattern.ToString();
    }

    [GeneratedRegex(@"\A\w\z", RegexOptions.CultureInvariant)]
    private static partial Regex WordCharacter();
}
