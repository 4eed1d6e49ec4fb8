using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Guardrails.Redaction;

namespace EdgeLlm.Guardrails.Enforcement;

/// <summary>
/// One policy made ready to apply: per direction, a <see cref="Redactor"/> running only the families that direction acts
/// on, each with the policy's context words and minimum score. Built once per policy and shared by its requests.
/// </summary>
public sealed class EnforcedPolicy
{
    private readonly Redactor?[] _redactors;

    internal EnforcedPolicy(GuardrailPolicy policy, string phoneRegion)
    {
        Policy = policy;
        _redactors = Enum.GetValues<GuardrailDirection>().Select(d => Build(policy, d, phoneRegion)).ToArray();
        ScreensOutput = RedactorFor(GuardrailDirection.Output) is not null
            || policy.Deny.Rules.Any(r => r.Directions.Contains(GuardrailDirection.Output))
            || policy.Guard?.Directions.Contains(GuardrailDirection.Output) == true;
    }

    public GuardrailPolicy Policy { get; }

    /// <summary>Whether the policy screens answers at all: detectors, deny rules or the guard model on output.</summary>
    public bool ScreensOutput { get; }

    /// <summary>The redactor for <paramref name="direction"/>; null when the policy acts on no family there.</summary>
    public Redactor? RedactorFor(GuardrailDirection direction) => _redactors[(int)direction];

    private static Redactor? Build(GuardrailPolicy policy, GuardrailDirection direction, string phoneRegion)
    {
        var acting = policy.EnabledDetectors.Where(d => d.ActionFor(direction) != GuardrailAction.Allow).ToList();
        if (acting.Count == 0)
        {
            return null;
        }

        var options = new PiiDetectorOptions
        {
            Families = acting.Where(d => d.Pattern is null).Select(d => d.Family).ToList(),
            PhoneRegion = phoneRegion,
            ContextWords = acting.Where(d => d.Pattern is null && d.ContextWords.Count > 0).ToDictionary(d => d.Family, d => d.ContextWords),
        };
        var all = PiiDetectorSet.Create(options).Detectors
            .Concat(acting.Where(d => d.Pattern is not null).Select(d => Custom(d, options.ContextWindow)));
        var minimum = acting.ToDictionary(d => d.Family, d => d.MinScore, StringComparer.Ordinal);
        var detectors = all.Select(d => (IEntityDetector)new MinimumScoreDetector(d, minimum[d.Family]));
        var rules = new RedactionRules
        {
            Actions = acting.ToDictionary(d => d.Family, d => Map(d.ActionFor(direction)), StringComparer.Ordinal),
            DefaultAction = RedactionAction.Allow,
            MinimumScore = 0,
        };
        return new Redactor(detectors, rules);
    }

    // The policy compiled the pattern when it read the document; the detector runs that same regex.
    private static CustomPatternDetector Custom(DetectorPolicy detector, int contextWindow)
    {
        var pattern = detector.Pattern!;
        var described = new Detection.CustomPattern
        {
            Name = pattern.Name,
            Pattern = pattern.Regex.ToString(),
            Checksum = pattern.Checksum,
            MaxLength = pattern.MaxLength,
            ContextWords = detector.ContextWords,
        };
        return new CustomPatternDetector(described, pattern.Regex, contextWindow);
    }

    private static RedactionAction Map(GuardrailAction action) => action switch
    {
        GuardrailAction.Redact => RedactionAction.Redact,
        GuardrailAction.Mask => RedactionAction.Mask,
        GuardrailAction.Block => RedactionAction.Block,
        GuardrailAction.Flag => RedactionAction.Flag,
        _ => RedactionAction.Allow,
    };
}
