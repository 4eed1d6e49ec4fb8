using System.Text.RegularExpressions;
using EdgeLlm.Routing.Cascade;
using EdgeLlm.Routing.Classification;

namespace EdgeLlm.Routing;

/// <summary>A rule ready to match: its pattern compiled once at start-up, its classifier (if any) built.</summary>
internal sealed class CompiledRule(RouteRuleOptions rule, Regex? pattern, RouteClassifier? classifier)
{
    /// <summary>The fixed target; empty for a classifier rule.</summary>
    public string Target => rule.Target;

    public RouteClassifier? Classifier => classifier;

    public double MinSimilarity => rule.MinSimilarity;

    /// <summary>The cascade from <paramref name="target"/>, unless the rule has none or the target is the larger model itself.</summary>
    public RouteEscalation? EscalationFrom(string target) =>
        rule.EscalateTo is { } larger && larger != target ? new RouteEscalation(larger, rule.EscalateBelowMeanLogprob) : null;

    /// <summary>Whether the rule's conditions (everything but its classifier) hold.</summary>
    public bool ConditionsHold(RoutingRequest request)
    {
        if (rule.ApiKeys.Count > 0 && (request.ApiKeyId is null || !rule.ApiKeys.Contains(request.ApiKeyId)))
        {
            return false;
        }

        if (rule.Tenants.Count > 0 && (request.Tenant is null || !rule.Tenants.Contains(request.Tenant)))
        {
            return false;
        }

        var tokens = request.RoughTokens;
        if (tokens < rule.MinPromptTokens || tokens > rule.MaxPromptTokens)
        {
            return false;
        }

        if (rule.Features.Count > 0 && !rule.Features.Any(request.Features.Contains))
        {
            return false;
        }

        if (rule.Keywords.Count > 0 && !rule.Keywords.Any(k => request.Text.Contains(k, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return pattern is null || PatternMatches(pattern, request.Text);
    }

    // A pattern that runs past its timeout on this text does not match: the request goes on to the next rule
    // rather than holding a thread.
    private static bool PatternMatches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
