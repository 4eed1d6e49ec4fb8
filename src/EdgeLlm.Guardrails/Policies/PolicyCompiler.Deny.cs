using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>The <c>deny</c> member: named keyword and pattern lists per direction.</summary>
internal sealed partial class PolicyCompiler
{
    private static readonly IReadOnlySet<GuardrailDirection> AllDirections = new HashSet<GuardrailDirection>(Enum.GetValues<GuardrailDirection>());

    /// <summary>The wording: deny rules are checked on input and output unless a rule says otherwise.</summary>
    private static readonly IReadOnlySet<GuardrailDirection> DenyDefaultDirections = new HashSet<GuardrailDirection> { GuardrailDirection.Input, GuardrailDirection.Output };

    private bool TryDenyRules(List<DenyRuleDocument?>? documents, string path, out DenyRuleSet deny)
    {
        deny = DenyRuleSet.Empty;
        if (documents is null)
        {
            return true;
        }

        if (documents.Count > PolicyLimits.MaxDenyRules)
        {
            return Refuse(path, $"at most {PolicyLimits.MaxDenyRules} deny rules");
        }

        var rules = new List<DenyRule>();
        for (var i = 0; i < documents.Count; i++)
        {
            if (!TryDenyRule(documents[i], $"{path}[{i}]", out var rule))
            {
                return false;
            }

            if (rules.Any(r => r.Name == rule.Name))
            {
                return Refuse($"{path}[{i}].name", $"another deny rule is already named {rule.Name}");
            }

            rules.Add(rule);
        }

        deny = new DenyRuleSet(rules);
        return true;
    }

    private bool TryDenyRule(DenyRuleDocument? document, string path, [NotNullWhen(true)] out DenyRule? rule)
    {
        rule = null;
        if (document is null)
        {
            return Refuse(path, "a deny rule must be an object");
        }

        var keywordMatchers = new List<Regex>();
        if (!IsName(document.Name, SafeName(), "name is required: 1-64 of letters, digits, '.', '_', '-' (it is what refusals, audits and metrics show)", path + ".name", out var name)
            || !TryDirections(document.Directions, path + ".directions", AllDirections, DenyDefaultDirections, out var directions)
            || !TryWords(document.Keywords, path + ".keywords", PolicyLimits.MaxKeywordsPerRule, PolicyLimits.MaxWordLength, out var keywords)
            || (keywords.Count > 0 && !TryKeywordMatchers(keywords, path + ".keywords", keywordMatchers))
            || !TryPatterns(document.Patterns, path + ".patterns", out var patterns))
        {
            return false;
        }

        if (keywords.Count == 0 && patterns.Count == 0)
        {
            return Refuse(path, "a deny rule needs at least one keyword or pattern");
        }

        rule = new DenyRule(name, directions, keywords, patterns) { KeywordMatchers = keywordMatchers };
        return true;
    }

    /// <summary>
    /// One case-insensitive alternation for the keywords, or, when the engine finds it too large (it counts states,
    /// and every white-space gap costs a loop), the two halves each on their own, and so on down to one keyword.
    /// Escaped words hold nothing else the engine could refuse. Charged to the budget once compiled: a refused attempt
    /// costs little, the engine estimates the size before it builds anything.
    /// </summary>
    private bool TryKeywordMatchers(IReadOnlyList<string> keywords, string path, List<Regex> matchers)
    {
        var pattern = KeywordExpression.For(keywords);
        if (PolicyRegex.TryCompile(pattern, RegexOptions.IgnoreCase, out var regex, out var problem))
        {
            matchers.Add(regex);
            return Charge(pattern, path);
        }

        if (keywords.Count == 1)
        {
            return Refuse(path, problem);
        }

        var half = keywords.Count / 2;
        return TryKeywordMatchers(keywords.Take(half).ToArray(), path, matchers)
            && TryKeywordMatchers(keywords.Skip(half).ToArray(), path, matchers);
    }

    private bool TryPatterns(List<string?>? documents, string path, out IReadOnlyList<Regex> patterns)
    {
        var compiled = new List<Regex>();
        patterns = compiled;
        if (documents is null)
        {
            return true;
        }

        if (documents.Count > PolicyLimits.MaxPatternsPerRule)
        {
            return Refuse(path, $"at most {PolicyLimits.MaxPatternsPerRule} patterns per rule (put plain terms in keywords)");
        }

        for (var i = 0; i < documents.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (string.IsNullOrEmpty(documents[i]) || documents[i]!.Length > PolicyLimits.MaxPatternLength)
            {
                return Refuse(itemPath, $"must be a regular expression of 1-{PolicyLimits.MaxPatternLength} characters");
            }

            if (!TryExpression(documents[i]!, RegexOptions.None, itemPath, out var regex))
            {
                return false;
            }

            compiled.Add(regex);
        }

        return true;
    }
}
