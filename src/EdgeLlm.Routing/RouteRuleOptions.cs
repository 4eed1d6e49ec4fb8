using System.Text.RegularExpressions;
using EdgeLlm.Routing.Classification;

namespace EdgeLlm.Routing;

/// <summary>
/// One rule of a route (<c>Routing:Routes:N:Rules:N</c>): a target, or a classifier that picks one, and conditions
/// that must all hold; optionally a larger model the target's answer escalates to.
/// </summary>
public sealed class RouteRuleOptions
{
    /// <summary>Most targets one classifier may choose between.</summary>
    public const int MaxClassifierTargets = 8;

    /// <summary>The feature names a rule may ask for.</summary>
    public static readonly IReadOnlyList<string> KnownFeatures = [RoutingFeatures.Tools, RoutingFeatures.JsonSchema, RoutingFeatures.JsonObject, RoutingFeatures.Retrieval];

    /// <summary>The model (name or alias) that serves a request this rule matches. Empty when the rule has a classifier.</summary>
    public string Target { get; set; } = "";

    /// <summary>API key ids (as <c>edgellm keys list</c> shows them), any of which matches. Empty: any caller.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Tenants, any of which matches. Empty: any tenant.</summary>
    public List<string> Tenants { get; set; } = [];

    /// <summary>Least prompt length, in rough tokens (characters / 4, rounded up) of the last user message or the prompt. Null: no floor.</summary>
    public int? MinPromptTokens { get; set; }

    /// <summary>Greatest prompt length, in rough tokens (characters / 4, rounded up). Null: no ceiling.</summary>
    public int? MaxPromptTokens { get; set; }

    /// <summary>A .NET regular expression (case-insensitive) searched in the last user message or the prompt. Null: none.</summary>
    public string? Pattern { get; set; }

    /// <summary>Words or phrases, any of which found in the last user message or the prompt (case-insensitive) matches. Empty: none asked.</summary>
    public List<string> Keywords { get; set; } = [];

    /// <summary>Request features, any of which matches: <c>tools</c>, <c>json_schema</c>, <c>json_object</c>, <c>retrieval</c>. Empty: none asked.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>
    /// The model (name or alias) whose embeddings classify requests; set, this rule's target is the one whose
    /// <c>Examples</c> are nearest to the last user message or the prompt (its first 1000 characters). Null: no classifier.
    /// </summary>
    public string? ClassifierModel { get; set; }

    /// <summary>
    /// Least cosine similarity (-1 to 1) between a request and its nearest target's examples (their centroid) for the
    /// classifier rule to match; below it the next rule is tried. Default 0.5.
    /// </summary>
    public double MinSimilarity { get; set; } = 0.5;

    /// <summary>The classifier's labelled example prompts, one entry per target (1 to 8 targets). Empty without a classifier.</summary>
    public List<RouteExampleOptions> Examples { get; set; } = [];

    /// <summary>
    /// A cascade: the target answers first and, when its answer's mean token log-probability is below
    /// <c>EscalateBelowMeanLogprob</c>, this model (name or alias) answers instead. A streamed answer is decided before
    /// its first token is sent. Null: no cascade.
    /// </summary>
    public string? EscalateTo { get; set; }

    /// <summary>
    /// The mean natural-log probability per token (0 or less) below which a cascade escalates: -1 means the target was
    /// on average less than e^-1 (about 37 %) sure of its tokens. Default -1.
    /// </summary>
    public double EscalateBelowMeanLogprob { get; set; } = -1;

    internal IEnumerable<string> Validate(string key)
    {
        var errors = ClassifierModel is null ? ValidateTarget(key) : ValidateClassifier(key);
        foreach (var failure in errors.Concat(ValidateCascade(key)))
        {
            yield return failure;
        }

        if (MinPromptTokens < 0 || MaxPromptTokens < 0 || MinPromptTokens > MaxPromptTokens)
        {
            yield return $"{key}: MinPromptTokens and MaxPromptTokens must be zero or more, the least first.";
        }

        if (Features.FirstOrDefault(f => !KnownFeatures.Contains(f)) is { } unknown)
        {
            yield return $"{key}:Features: '{unknown}' is not one of {string.Join(", ", KnownFeatures)}.";
        }

        if (Keywords.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{key}:Keywords: a keyword must not be empty.";
        }

        if (Pattern is not null && PatternError(Pattern) is { } error)
        {
            yield return $"{key}:Pattern is not a valid regular expression: {error}";
        }
    }

    private IEnumerable<string> ValidateTarget(string key)
    {
        if (string.IsNullOrWhiteSpace(Target))
        {
            yield return $"{key}:Target is required.";
        }

        if (Examples.Count > 0)
        {
            yield return $"{key}:Examples need a ClassifierModel.";
        }
    }

    private IEnumerable<string> ValidateClassifier(string key)
    {
        if (string.IsNullOrWhiteSpace(ClassifierModel))
        {
            yield return $"{key}:ClassifierModel must name a model.";
        }

        if (!string.IsNullOrEmpty(Target))
        {
            yield return $"{key}: a rule with a ClassifierModel takes its target from its Examples; Target must be empty.";
        }

        if (Examples.Count is 0 or > MaxClassifierTargets)
        {
            yield return $"{key}:Examples needs 1 to {MaxClassifierTargets} targets.";
        }

        if (Examples.GroupBy(e => e.Target, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            yield return $"{key}:Examples: the target '{twice.Key}' is listed twice.";
        }

        if (!(MinSimilarity is >= -1 and <= 1))
        {
            yield return $"{key}:MinSimilarity must be between -1 and 1.";
        }

        for (var i = 0; i < Examples.Count; i++)
        {
            foreach (var error in Examples[i].Validate($"{key}:Examples:{i}"))
            {
                yield return error;
            }
        }
    }

    private IEnumerable<string> ValidateCascade(string key)
    {
        if (EscalateTo is null)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(EscalateTo) || EscalateTo == Target)
        {
            yield return $"{key}:EscalateTo must name a model other than the rule's Target.";
        }

        if (!(EscalateBelowMeanLogprob <= 0))
        {
            yield return $"{key}:EscalateBelowMeanLogprob must be 0 or less (a mean log-probability).";
        }
    }

    private static string? PatternError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
