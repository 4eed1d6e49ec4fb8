using EdgeLlm.Routing.Classification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Routing;

/// <summary>
/// Resolves a route name to a served model: the first rule whose conditions all hold chooses the target (itself, or
/// through its classifier), the route's fallbacks follow it. Rules are compiled once; deciding allocates only the
/// candidate list. A route with a classifier needs its request prepared first (<see cref="PrepareAsync"/>): the
/// embedding is the one step that waits on a model.
/// </summary>
public sealed class RouteResolver
{
    private readonly Dictionary<string, (RouteOptions Route, CompiledRule[] Rules)> _routes;
    private readonly IPromptEmbedder _embedder;
    private readonly ILogger<RouteResolver> _logger;

    public RouteResolver(IOptions<RoutingOptions> options, IPromptEmbedder embedder, ILogger<RouteResolver> logger)
    {
        var settings = options.Value;
        _routes = settings.Routes.ToDictionary(
            r => r.Name,
            r => (r, r.Rules.Select((rule, i) => new CompiledRule(
                rule,
                rule.Pattern is null ? null : settings.CompilePattern(rule.Pattern),
                rule.ClassifierModel is null ? null : new RouteClassifier(r.Name, i, rule.ClassifierModel, rule.Examples, logger))).ToArray()),
            StringComparer.Ordinal);
        _embedder = embedder;
        _logger = logger;
    }

    /// <summary>Whether <paramref name="model"/> names a route rather than a model.</summary>
    public bool IsRoute(string? model) => model is not null && _routes.ContainsKey(model);

    /// <summary>
    /// The request with what the route's classifiers need: the text's embedding (its first 1000 characters) by each
    /// classifier model a decision could reach, once the classifier's examples are embedded. Nothing is embedded when
    /// a rule without a classifier decides first. A model that cannot embed now leaves its classifiers unmatched.
    /// </summary>
    public async Task<RoutingRequest> PrepareAsync(string route, RoutingRequest request, CancellationToken cancellationToken)
    {
        var classifiers = Reachable(_routes[route].Rules, request);
        if (classifiers.Count == 0)
        {
            return request;
        }

        var text = Bounded(request.Text);
        var embeddings = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var tried = new HashSet<string>(StringComparer.Ordinal);
        foreach (var classifier in classifiers)
        {
            if (await classifier.PrepareAsync(_embedder, cancellationToken) && tried.Add(classifier.Model)
                && await _embedder.EmbedAsync(classifier.Model, text, cancellationToken) is { } vector)
            {
                embeddings[classifier.Model] = Centroids.Normalised(vector);
            }
        }

        return request with { Embeddings = embeddings };
    }

    /// <summary>The decision for a request to route <paramref name="route"/>, or null when no rule matched.</summary>
    public RouteDecision? Decide(string route, RoutingRequest request)
    {
        var (options, rules) = _routes[route];
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].ConditionsHold(request) && Target(route, i, rules[i], request) is { } target)
            {
                RoutingMetrics.Decided(route, i, target);
                RoutingLog.Decided(_logger, route, i, target, request.RoughTokens);
                return new RouteDecision(route, i, [target, .. options.Fallbacks.Where(f => f != target)], rules[i].EscalationFrom(target));
            }
        }

        RoutingMetrics.Decided(route, -1, null);
        RoutingLog.NoRuleMatched(_logger, route, request.RoughTokens);
        return null;
    }

    /// <summary>Counts and logs that <paramref name="refused"/> turned a routed request away and <paramref name="next"/> gets it.</summary>
    public void FellBack(string route, string refused, string code, string next)
    {
        RoutingMetrics.FellBack(route, refused);
        RoutingLog.FellBack(_logger, route, refused, code, next);
    }

    /// <summary>Counts and logs a cascade that answered with <paramref name="larger"/> after <paramref name="smaller"/>'s unsure answer.</summary>
    public void Escalated(string route, string smaller, string larger, int tokens, double logprobSum)
    {
        RoutingMetrics.Escalated(route, smaller, larger);
        RoutingLog.Escalated(_logger, route, smaller, tokens, Mean(tokens, logprobSum), larger);
    }

    /// <summary>Logs a cascade that kept <paramref name="model"/>'s answer.</summary>
    public void KeptAnswer(string route, string model, int tokens, double logprobSum) =>
        RoutingLog.AnswerKept(_logger, route, model, tokens, Mean(tokens, logprobSum));

    /// <summary>Logs a cascade whose larger model could not answer, so the smaller's answer stands.</summary>
    public void EscalationRefused(string route, string smaller, string larger, string reason) =>
        RoutingLog.EscalationRefused(_logger, route, larger, reason, smaller);

    /// <summary>The classifiers a decision on <paramref name="request"/> could consult: those before the first plain rule that matches.</summary>
    private static List<RouteClassifier> Reachable(CompiledRule[] rules, RoutingRequest request)
    {
        var classifiers = new List<RouteClassifier>();
        foreach (var rule in rules)
        {
            if (!rule.ConditionsHold(request))
            {
                continue;
            }

            if (rule.Classifier is not { } classifier)
            {
                break;
            }

            classifiers.Add(classifier);
        }

        return classifiers;
    }

    private string? Target(string route, int index, CompiledRule rule, RoutingRequest request)
    {
        if (rule.Classifier is not { } classifier)
        {
            return rule.Target;
        }

        if (!request.Embeddings.TryGetValue(classifier.Model, out var embedding) || classifier.Classify(embedding) is not { } nearest)
        {
            RoutingLog.Unclassified(_logger, route, index, classifier.Model);
            return null;
        }

        RoutingLog.Classified(_logger, route, index, nearest.Target, nearest.Similarity, rule.MinSimilarity);
        return nearest.Similarity >= rule.MinSimilarity ? nearest.Target : null;
    }

    // Cut at a character, never inside a surrogate pair.
    private static string Bounded(string text)
    {
        var length = Math.Min(text.Length, RouteExampleOptions.MaxPromptCharacters);
        if (length < text.Length && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }

    private static double Mean(int tokens, double sum) => tokens == 0 ? 0 : sum / tokens;
}
