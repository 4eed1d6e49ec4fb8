using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>The <c>detectors</c> member: the built-in families and the custom patterns.</summary>
internal sealed partial class PolicyCompiler
{
    private bool TryDetectors(DetectorsDocument? document, string path, out IReadOnlyDictionary<string, DetectorPolicy> detectors)
    {
        var compiled = new Dictionary<string, DetectorPolicy>(StringComparer.Ordinal);
        detectors = compiled;
        if (document is null)
        {
            return true;
        }

        // In the order of PolicyVocabulary.BuiltInFamilies, which names them.
        DetectorDocument?[] builtIn = [document.Email, document.Phone, document.Iban, document.Card, document.Ipv4, document.Ipv6, document.Mac];
        for (var i = 0; i < builtIn.Length; i++)
        {
            var family = PolicyVocabulary.BuiltInFamilies[i];
            if (builtIn[i] is { } settings)
            {
                if (!TryDetector(settings, $"{path}.{family}", family, null, out var detector))
                {
                    return false;
                }

                compiled.Add(family, detector);
            }
        }

        return TryCustomDetectors(document.Custom, path + ".custom", compiled);
    }

    private bool TryCustomDetectors(List<CustomDetectorDocument?>? documents, string path, Dictionary<string, DetectorPolicy> compiled)
    {
        if (documents is null)
        {
            return true;
        }

        if (documents.Count > PolicyLimits.MaxCustomDetectors)
        {
            return Refuse(path, $"at most {PolicyLimits.MaxCustomDetectors} custom patterns");
        }

        for (var i = 0; i < documents.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (documents[i] is not { } custom)
            {
                return Refuse(itemPath, "a custom pattern must be an object");
            }

            if (!IsName(custom.Name, CustomName(), "name is required: 1-32 of lower-case letters, digits and '_', starting with a letter", itemPath + ".name", out var name)
                || !TryCustomPattern(custom, name, itemPath, out var pattern))
            {
                return false;
            }

            var family = PolicyVocabulary.CustomFamily(name);
            if (compiled.ContainsKey(family))
            {
                return Refuse(itemPath + ".name", $"another custom pattern is already named {name}");
            }

            if (!TryDetector(custom, itemPath, family, pattern, out var detector))
            {
                return false;
            }

            compiled.Add(family, detector);
        }

        return true;
    }

    private bool TryCustomPattern(CustomDetectorDocument custom, string name, string path, [NotNullWhen(true)] out CustomPattern? pattern)
    {
        pattern = null;
        var checksum = PatternChecksum.None;
        if (string.IsNullOrEmpty(custom.Pattern) || custom.Pattern.Length > PolicyLimits.MaxPatternLength)
        {
            return Refuse(path + ".pattern", $"is required: a regular expression of at most {PolicyLimits.MaxPatternLength} characters");
        }

        if (custom.Checksum is not null && !PolicyVocabulary.TryParseChecksum(custom.Checksum, out checksum))
        {
            return Refuse(path + ".checksum", "must be luhn or mod97");
        }

        var maxLength = custom.MaxLength ?? PolicyLimits.DefaultCustomMatchLength;
        if (maxLength is < 1 or > PolicyLimits.MaxCustomMatchLength)
        {
            return Refuse(path + ".max_length", $"must be between 1 and {PolicyLimits.MaxCustomMatchLength} characters");
        }

        if (!TryExpression(custom.Pattern, RegexOptions.None, path + ".pattern", out var regex))
        {
            return false;
        }

        pattern = new CustomPattern(name, regex, checksum, maxLength);
        return true;
    }

    private bool TryDetector(DetectorDocument settings, string path, string family, CustomPattern? pattern, [NotNullWhen(true)] out DetectorPolicy? detector)
    {
        detector = null;
        var minScore = settings.MinScore ?? PolicyLimits.DefaultMinScore;
        if (minScore is < 0 or > 1 || double.IsNaN(minScore))
        {
            return Refuse(path + ".min_score", "must be between 0 and 1");
        }

        if (!TryWords(settings.ContextWords, path + ".context_words", PolicyLimits.MaxContextWords, PolicyLimits.MaxWordLength, out var contextWords)
            || !TryAction(settings.Input, path + ".input", out var input)
            || !TryAction(settings.Output, path + ".output", out var output)
            || !TryAction(settings.Retrieved, path + ".retrieved", out var retrieved))
        {
            return false;
        }

        detector = new DetectorPolicy(family, settings.Enabled ?? true, minScore, contextWords, input, output, retrieved, pattern);
        return true;
    }

    /// <summary>A direction's action; a direction left out is <c>allow</c>: the detector does nothing there.</summary>
    private bool TryAction(string? text, string path, out GuardrailAction action)
    {
        action = GuardrailAction.Allow;
        return text is null
            || PolicyVocabulary.TryParseAction(text, out action)
            || Refuse(path, "must be one of allow, redact, mask, block, flag");
    }

    [GeneratedRegex(@"\A[a-z][a-z0-9_]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CustomName();
}
