using System.Collections.Frozen;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>A policy's deny rules, sorted by direction once so a check looks only at the rules that apply.</summary>
public sealed class DenyRuleSet
{
    private readonly FrozenDictionary<GuardrailDirection, DenyRule[]> _byDirection;

    public DenyRuleSet(IReadOnlyList<DenyRule> rules)
    {
        Rules = rules;
        _byDirection = Enum.GetValues<GuardrailDirection>()
            .ToFrozenDictionary(d => d, d => rules.Where(r => r.Directions.Contains(d)).ToArray());
    }

    public static DenyRuleSet Empty { get; } = new([]);

    /// <summary>Every rule, in the document's order.</summary>
    public IReadOnlyList<DenyRule> Rules { get; }

    /// <summary>
    /// The name of the first rule (in the document's order) that denies <paramref name="text"/> in
    /// <paramref name="direction"/>, or null when none does. Never the matched text: the name is what a refusal,
    /// an audit record and a metric may carry.
    /// </summary>
    public string? Check(string text, GuardrailDirection direction)
    {
        foreach (var rule in _byDirection[direction])
        {
            if (rule.Matches(text))
            {
                return rule.Name;
            }
        }

        return null;
    }
}
