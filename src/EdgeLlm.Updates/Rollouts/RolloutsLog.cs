using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>Log events of canary rollouts (of a model or a policy set, as {Kind} says): event ids 5500-5599 (within signed updates' 5000-5999).</summary>
internal static partial class RolloutsLog
{
    [LoggerMessage(5500, LogLevel.Information, "Rollout of {Kind} {Name} {Version} started against {ActiveVersion}: steps {Steps} %, every {Interval}")]
    public static partial void Started(ILogger logger, string kind, string name, string version, string activeVersion, string steps, TimeSpan interval);

    [LoggerMessage(5501, LogLevel.Information, "Rollout of {Kind} {Name} {Version} passed its window (candidate {CandidateRequests} requests, active {ActiveRequests}) and now takes {Weight} %")]
    public static partial void Stepped(ILogger logger, string kind, string name, string version, int candidateRequests, int activeRequests, int weight);

    [LoggerMessage(5502, LogLevel.Information, "Rollout of {Kind} {Name} {Version} holds at {Weight} %: {Reason}")]
    public static partial void Held(ILogger logger, string kind, string name, string version, int weight, string reason);

    [LoggerMessage(5503, LogLevel.Warning, "Rollout of {Kind} {Name} {Version} failed {Checks} at {Weight} % ({Failures} of {Limit} failures allowed)")]
    public static partial void CheckFailed(ILogger logger, string kind, string name, string version, string checks, int weight, int failures, int limit);

    [LoggerMessage(5504, LogLevel.Information, "Rollout of {Kind} {Name} promoted {Version}; {Previous} is the previous version")]
    public static partial void Promoted(ILogger logger, string kind, string name, string version, string previous);

    [LoggerMessage(5505, LogLevel.Warning, "Rollout of {Kind} {Name} {Version} aborted: {Code}: {Reason}")]
    public static partial void Aborted(ILogger logger, string kind, string name, string version, string code, string reason);

    [LoggerMessage(5506, LogLevel.Information, "Rollout of {Kind} {Name} {Version} is {State} by the operator at {Weight} %")]
    public static partial void OperatorChanged(ILogger logger, string kind, string name, string version, string state, int weight);

    [LoggerMessage(5507, LogLevel.Information, "Rollout of {Kind} {Name} {Version} resumed after a restart at {Weight} %")]
    public static partial void Resumed(ILogger logger, string kind, string name, string version, int weight);

    [LoggerMessage(5508, LogLevel.Warning, "A promotion of {Kind} {Name} to {Version} decided before a restart was finished at start-up")]
    public static partial void PromotionFinished(ILogger logger, string kind, string name, string version);

    [LoggerMessage(5509, LogLevel.Error, "{Kind} {Name} {Version} was promoted in the catalog but could not be put in service ({Code}): {Reason}; the catalog goes back")]
    public static partial void PromotionNotServed(ILogger logger, string kind, string name, string version, string code, string reason);

    [LoggerMessage(5510, LogLevel.Error, "Judging the rollout of {Kind} {Name} failed")]
    public static partial void JudgeFailed(ILogger logger, string kind, string name, Exception exception);
}
