using System.Text.RegularExpressions;

namespace EdgeLlm.Routing;

/// <summary>One rule of a route (<c>Routing:Routes:N:Rules:N</c>): a target and conditions that must all hold.</summary>
public sealed class RouteRuleOptions
{
    /// <summary>The feature names a rule may ask for.</summary>
    public static readonly IReadOnlyList<string> KnownFeatures = [RoutingFeatures.Tools, RoutingFeatures.JsonSchema, RoutingFeatures.JsonObject, RoutingFeatures.Retrieval];

    /// <summary>The model (name or alias) that serves a request this rule matches.</summary>
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

    internal IEnumerable<string> Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Target))
        {
            yield return $"{key}:Target is required.";
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
