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
    }

    public GuardrailPolicy Policy { get; }

    /// <summary>The redactor for <paramref name="direction"/>; null when the policy acts on no family there.</summary>
    public Redactor? RedactorFor(GuardrailDirection direction) => _redactors[(int)direction];

    private static Redactor? Build(GuardrailPolicy policy, GuardrailDirection direction, string phoneRegion)
    {
        var acting = policy.EnabledDetectors.Where(d => d.ActionFor(direction) != GuardrailAction.Allow).ToList();
        if (acting.Count == 0)
        {
            return null;
        }

        var builtIn = acting.Where(d => d.Pattern is null).ToList();
        var set = PiiDetectorSet.Create(new PiiDetectorOptions
        {
            Families = builtIn.Select(d => d.Family).ToList(),
            PhoneRegion = phoneRegion,
            ContextWords = builtIn.Where(d => d.ContextWords.Count > 0).ToDictionary(d => d.Family, d => d.ContextWords),
            CustomPatterns = acting.Where(d => d.Pattern is not null).Select(Custom).ToList(),
        });
        var minimum = acting.ToDictionary(d => d.Family, d => d.MinScore, StringComparer.Ordinal);
        var detectors = set.Detectors.Select(d => (IEntityDetector)new MinimumScoreDetector(d, minimum[d.Family]));
        var rules = new RedactionRules
        {
            Actions = acting.ToDictionary(d => d.Family, d => Map(d.ActionFor(direction)), StringComparer.Ordinal),
            DefaultAction = RedactionAction.Allow,
            MinimumScore = 0,
        };
        return new Redactor(detectors, rules);
    }

    private static Detection.CustomPattern Custom(DetectorPolicy detector) => new()
    {
        Name = detector.Pattern!.Name,
        Pattern = detector.Pattern.Regex.ToString(),
        Checksum = detector.Pattern.Checksum switch
        {
            Policies.PatternChecksum.Luhn => Detection.PatternChecksum.Luhn,
            Policies.PatternChecksum.Mod97 => Detection.PatternChecksum.Mod97,
            _ => Detection.PatternChecksum.None,
        },
        MaxLength = detector.Pattern.MaxLength,
        ContextWords = detector.ContextWords,
    };

    private static RedactionAction Map(GuardrailAction action) => action switch
    {
        GuardrailAction.Redact => RedactionAction.Redact,
        GuardrailAction.Mask => RedactionAction.Mask,
        GuardrailAction.Block => RedactionAction.Block,
        GuardrailAction.Flag => RedactionAction.Flag,
        _ => RedactionAction.Allow,
    };
}
