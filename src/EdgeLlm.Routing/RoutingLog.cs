using Microsoft.Extensions.Logging;

namespace EdgeLlm.Routing;

/// <summary>The router's log events (ids 7000-7099). Never the prompt text: lengths, names and scores only.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(7000, LogLevel.Information, "Route {Route} chose rule {RuleIndex}: {Target} ({PromptTokens} rough prompt tokens)")]
    public static partial void Decided(ILogger logger, string route, int ruleIndex, string target, int promptTokens);

    [LoggerMessage(7001, LogLevel.Information, "Route {Route}: no rule matched ({PromptTokens} rough prompt tokens)")]
    public static partial void NoRuleMatched(ILogger logger, string route, int promptTokens);

    [LoggerMessage(7002, LogLevel.Information, "Route {Route}: {Target} refused admission ({Code}); trying {Fallback}")]
    public static partial void FellBack(ILogger logger, string route, string target, string code, string fallback);

    [LoggerMessage(7003, LogLevel.Information, "Route {Route} rule {RuleIndex}: classifier ready on {Model}, {Targets} targets from {Examples} examples in {ElapsedMs:F1} ms")]
    public static partial void ClassifierReady(ILogger logger, string route, int ruleIndex, string model, int targets, int examples, double elapsedMs);

    [LoggerMessage(7004, LogLevel.Warning, "Route {Route} rule {RuleIndex}: {Model} cannot embed the classifier's examples yet; the rule does not match until it can")]
    public static partial void ClassifierNotReady(ILogger logger, string route, int ruleIndex, string model);

    [LoggerMessage(7005, LogLevel.Debug, "Route {Route} rule {RuleIndex}: nearest target {Target}, similarity {Similarity:F3} (least {MinSimilarity:F3})")]
    public static partial void Classified(ILogger logger, string route, int ruleIndex, string target, float similarity, double minSimilarity);

    [LoggerMessage(7006, LogLevel.Debug, "Route {Route} rule {RuleIndex}: no embedding from {Model}; the rule does not match")]
    public static partial void Unclassified(ILogger logger, string route, int ruleIndex, string model);

    [LoggerMessage(7007, LogLevel.Information, "Route {Route}: {Model}'s answer of {Tokens} tokens averaged a log-probability of {MeanLogprob:F3}; escalated to {Larger}")]
    public static partial void Escalated(ILogger logger, string route, string model, int tokens, double meanLogprob, string larger);

    [LoggerMessage(7008, LogLevel.Debug, "Route {Route}: {Model}'s answer of {Tokens} tokens averaged a log-probability of {MeanLogprob:F3}; kept")]
    public static partial void AnswerKept(ILogger logger, string route, string model, int tokens, double meanLogprob);

    [LoggerMessage(7009, LogLevel.Information, "Route {Route}: escalation to {Larger} refused ({Reason}); {Model}'s answer stands")]
    public static partial void EscalationRefused(ILogger logger, string route, string larger, string reason, string model);
}
