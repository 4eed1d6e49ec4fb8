namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Which action applies to each entity family, and how sure a detector must be before any action applies. Built by
/// the policy layer from a policy's detector settings for one direction (input, output, retrieved context).
/// </summary>
public sealed record RedactionRules
{
    /// <summary>The action per family (<c>email</c>, <c>card</c>, <c>custom:&lt;name&gt;</c> …), compared ordinally.</summary>
    public IReadOnlyDictionary<string, RedactionAction> Actions { get; init; } =
        new Dictionary<string, RedactionAction>(StringComparer.Ordinal);

    /// <summary>The action for a family <see cref="Actions"/> does not name. Default: <see cref="RedactionAction.Redact"/>.</summary>
    public RedactionAction DefaultAction { get; init; } = RedactionAction.Redact;

    /// <summary>Matches scoring below this (0 to 1) are ignored as too weak. Default: 0.5.</summary>
    public double MinimumScore { get; init; } = 0.5;

    /// <summary>
    /// How many trailing letters or digits <see cref="RedactionAction.Mask"/> keeps visible. Never more than half of a
    /// value's letters and digits, so a short value is not left readable. Default: 4.
    /// </summary>
    public int MaskKeepLast { get; init; } = 4;

    public RedactionAction ActionFor(string family) =>
        Actions.TryGetValue(family, out var action) ? action : DefaultAction;

    /// <summary>Throws when a setting is out of range; called once when the rules are put to use.</summary>
    public void Validate()
    {
        if (double.IsNaN(MinimumScore) || MinimumScore is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumScore), MinimumScore, "The minimum score is between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaskKeepLast);
        foreach (var (family, action) in Actions)
        {
            if (!Enum.IsDefined(action))
            {
                throw new ArgumentOutOfRangeException(nameof(Actions), action, $"Family '{family}' has no such action.");
            }
        }
    }
}
