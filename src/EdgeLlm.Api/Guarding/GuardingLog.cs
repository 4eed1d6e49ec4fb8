using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Guarding;

/// <summary>Log events of the guard model's runner: event ids 2500-2599 of the API's range. Never the conversation or the answer.</summary>
internal static partial class GuardingLog
{
    [LoggerMessage(2500, LogLevel.Debug, "Guard model {Model} judged {Direction} in {Milliseconds} ms: {Outcome}")]
    public static partial void Judged(ILogger logger, string model, string direction, long milliseconds, string outcome);

    [LoggerMessage(2501, LogLevel.Warning, "Guard model {Model} gave no verdict: its generation ended with {FinishReason}")]
    public static partial void GenerationEnded(ILogger logger, string model, string finishReason);

    [LoggerMessage(2502, LogLevel.Warning, "Policy names {Model} as its guard model, but that model has the role {Role}: no verdict")]
    public static partial void NotAGuard(ILogger logger, string model, string role);

    [LoggerMessage(2503, LogLevel.Warning, "Guard verdict fault point {FaultPoint} is set: every guard model answer is replaced")]
    public static partial void FaultPointSet(ILogger logger, string faultPoint);
}
