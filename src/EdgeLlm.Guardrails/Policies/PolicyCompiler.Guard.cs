using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using System.Xml;

namespace EdgeLlm.Guardrails.Policies;

/// <summary>The <c>guard</c> member: which guard model screens which directions, for which categories, how long it may take.</summary>
internal sealed partial class PolicyCompiler
{
    /// <summary>The guard model screens a conversation's input and its answer; retrieved context goes in with the input.</summary>
    private static readonly IReadOnlySet<GuardrailDirection> GuardDirections = DenyDefaultDirections;

    private bool TryGuard(GuardDocument? document, string path, out GuardPolicy? guard)
    {
        guard = null;
        if (document is null)
        {
            return true;
        }

        if (!IsName(document.Model, ModelName(), "model is required: the guard model's name, 1-128 of letters, digits, '.', '_', '-', ':'", path + ".model", out var model)
            || !TryDirections(document.Directions, path + ".directions", GuardDirections, GuardDirections, out var directions)
            || !TryWords(document.Categories, path + ".categories", PolicyLimits.MaxGuardCategories, PolicyLimits.MaxWordLength, out var categories)
            || !TryCategoryNames(categories, path + ".categories")
            || !TryTimeout(document.Timeout, path + ".timeout", out var timeout))
        {
            return false;
        }

        guard = new GuardPolicy(model, directions, categories, timeout);
        return true;
    }

    /// <summary>
    /// The guard names categories in a comma-separated line its grammar spells out, so a category is one token of that
    /// line: a comma, a space or a line break in one would make a verdict no parser could read.
    /// </summary>
    private bool TryCategoryNames(IReadOnlyList<string> categories, string path)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            if (!CategoryName().IsMatch(categories[i]))
            {
                return Refuse($"{path}[{i}]", "a category is 1-64 of letters, digits, '_', '.', ':', '-'");
            }
        }

        return true;
    }

    /// <summary>An ISO 8601 duration (<c>PT2S</c>, <c>PT0.5S</c>), as bundle manifests write theirs.</summary>
    private bool TryTimeout(string? text, string path, out TimeSpan timeout)
    {
        timeout = PolicyLimits.DefaultGuardTimeout;
        if (text is null)
        {
            return true;
        }

        try
        {
            timeout = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return Refuse(path, "must be an ISO 8601 duration such as PT2S");
        }

        return (timeout >= PolicyLimits.MinGuardTimeout && timeout <= PolicyLimits.MaxGuardTimeout)
            || Refuse(path, $"must be between {PolicyLimits.MinGuardTimeout.TotalMilliseconds} ms and {PolicyLimits.MaxGuardTimeout.TotalSeconds} s");
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModelName();

    [GeneratedRegex(@"\A[A-Za-z0-9_.:-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryName();
}
