using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// Turns a parsed document into a <see cref="GuardrailPolicySet"/>: checks every value against the schema and the
/// <see cref="PolicyLimits"/>, compiles every expression, and stops at the first problem with its JSON path. Lists
/// are counted before their items are looked at, so a document with 10,000 patterns is refused before one compiles.
/// One instance per document: it counts the expressions compiled so far against the document-wide bound.
/// </summary>
internal sealed partial class PolicyCompiler
{
    private PolicyLoadResult.Refused? _refusal;
    private int _expressions;
    private int _expressionCharacters;

    public PolicyLoadResult Compile(PolicyDocument document)
    {
        if (!IsName(document.Version, VersionName(), "version is required: 1-64 of letters, digits, '.', '_', '-', '+'", "$.version", out var version)
            || !TryPolicy(document, "$", version, null, out var defaultPolicy)
            || !TryTenants(document.Tenants, version, out var tenants))
        {
            return _refusal!;
        }

        return new PolicyLoadResult.Loaded(new GuardrailPolicySet(version, defaultPolicy, tenants));
    }

    private bool TryTenants(Dictionary<string, PolicyBody?>? documents, string version, out IReadOnlyDictionary<string, GuardrailPolicy> tenants)
    {
        var compiled = new Dictionary<string, GuardrailPolicy>(StringComparer.Ordinal);
        tenants = compiled;
        if (documents is null)
        {
            return true;
        }

        if (documents.Count > PolicyLimits.MaxTenants)
        {
            return Refuse("$.tenants", $"at most {PolicyLimits.MaxTenants} tenants");
        }

        foreach (var (tenant, body) in documents)
        {
            if (!SafeName().IsMatch(tenant))
            {
                return Refuse("$.tenants", $"'{Shorten(tenant)}' is not a tenant name (1-64 of letters, digits, '.', '_', '-')");
            }

            // As System.Text.Json writes the paths of its own errors: a name with a '.' in brackets.
            var path = tenant.Contains('.', StringComparison.Ordinal) ? $"$.tenants['{tenant}']" : "$.tenants." + tenant;
            if (body is null)
            {
                return Refuse(path, "a tenant's policy must be an object");
            }

            if (!TryPolicy(body, path, version, tenant, out var policy))
            {
                return false;
            }

            compiled.Add(tenant, policy);
        }

        return true;
    }

    private bool TryPolicy(PolicyBody body, string path, string version, string? tenant, [NotNullWhen(true)] out GuardrailPolicy? policy)
    {
        policy = null;
        if (!TryDetectors(body.Detectors, path + ".detectors", out var detectors)
            || !TryDenyRules(body.Deny, path + ".deny", out var deny)
            || !TryGuard(body.Guard, path + ".guard", out var guard)
            || !TryFailureMode(body.FailureMode, path + ".failure_mode", out var failureMode))
        {
            return false;
        }

        policy = new GuardrailPolicy(version, tenant, detectors, deny, guard, failureMode, body.RestoreRedactions ?? false);
        return true;
    }

    /// <summary>Fails closed unless the policy says open: a guard that cannot answer lets nothing through by default.</summary>
    private bool TryFailureMode(string? text, string path, out GuardFailureMode mode)
    {
        mode = GuardFailureMode.Closed;
        return text is null
            || PolicyVocabulary.TryParseFailureMode(text, out mode)
            || Refuse(path, "must be open or closed");
    }

    /// <summary>Compiles one expression if the document's budget allows; refuses at <paramref name="path"/> otherwise.</summary>
    private bool TryExpression(string pattern, RegexOptions options, string path, [NotNullWhen(true)] out Regex? regex)
    {
        regex = null;
        return Charge(pattern, path)
            && (PolicyRegex.TryCompile(pattern, options, out regex, out var problem) || Refuse(path, problem));
    }

    /// <summary>Counts one expression against the document's budget; refuses at <paramref name="path"/> when it is spent.</summary>
    private bool Charge(string pattern, string path)
    {
        if (++_expressions > PolicyLimits.MaxExpressionsPerDocument)
        {
            return Refuse(path, $"the document compiles more than {PolicyLimits.MaxExpressionsPerDocument} expressions (patterns, and one or a few per rule's keywords)");
        }

        _expressionCharacters += pattern.Length;
        return _expressionCharacters <= PolicyLimits.MaxExpressionCharactersPerDocument
            || Refuse(path, $"the document compiles more than {PolicyLimits.MaxExpressionCharactersPerDocument} characters of expressions (patterns, and every rule's keywords)");
    }

    /// <summary>A list of 1-<paramref name="max"/> non-blank strings of at most <paramref name="maxLength"/> characters each.</summary>
    private bool TryWords(List<string?>? items, string path, int max, int maxLength, out IReadOnlyList<string> words)
    {
        var read = new List<string>();
        words = read;
        if (items is null)
        {
            return true;
        }

        if (items.Count > max)
        {
            return Refuse(path, $"at most {max} entries");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var word = items[i]?.Trim();
            if (string.IsNullOrEmpty(word) || word.Length > maxLength)
            {
                return Refuse($"{path}[{i}]", $"must be a non-blank string of at most {maxLength} characters");
            }

            read.Add(word);
        }

        return true;
    }

    /// <summary>Directions named in a list, each known and in <paramref name="allowed"/>; <paramref name="fallback"/> when the list is absent.</summary>
    private bool TryDirections(List<string?>? items, string path, IReadOnlySet<GuardrailDirection> allowed, IReadOnlySet<GuardrailDirection> fallback, out IReadOnlySet<GuardrailDirection> directions)
    {
        directions = fallback;
        if (items is null)
        {
            return true;
        }

        if (items.Count == 0)
        {
            return Refuse(path, "must name at least one direction");
        }

        var read = new HashSet<GuardrailDirection>();
        for (var i = 0; i < items.Count; i++)
        {
            if (!PolicyVocabulary.TryParseDirection(items[i], out var direction) || !allowed.Contains(direction))
            {
                return Refuse($"{path}[{i}]", "must be one of " + string.Join(", ", allowed.Select(PolicyVocabulary.Name)));
            }

            read.Add(direction);
        }

        directions = read;
        return true;
    }

    private bool IsName(string? value, Regex shape, string problem, string path, [NotNullWhen(true)] out string? name)
    {
        name = value;
        return (value is not null && shape.IsMatch(value)) || Refuse(path, problem);
    }

    private bool Refuse(string path, string message)
    {
        _refusal ??= new PolicyLoadResult.Refused(path, message);
        return false;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    // \A…\z, not ^…$: .NET's $ also matches before a final "\n".
    [GeneratedRegex(@"\A[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    [GeneratedRegex(@"\A[A-Za-z0-9_-][A-Za-z0-9._+-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionName();
}
