using Microsoft.Extensions.Logging;

namespace EdgeLlm.Routing;

/// <summary>The router's log events (ids 7000-7099). Never the prompt text: lengths and names only.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(7000, LogLevel.Information, "Route {Route} chose rule {RuleIndex}: {Target} ({PromptTokens} rough prompt tokens)")]
    public static partial void Decided(ILogger logger, string route, int ruleIndex, string target, int promptTokens);

    [LoggerMessage(7001, LogLevel.Information, "Route {Route}: no rule matched ({PromptTokens} rough prompt tokens)")]
    public static partial void NoRuleMatched(ILogger logger, string route, int promptTokens);

    [LoggerMessage(7002, LogLevel.Information, "Route {Route}: {Target} refused admission ({Code}); trying {Fallback}")]
    public static partial void FellBack(ILogger logger, string route, string target, string code, string fallback);
}
