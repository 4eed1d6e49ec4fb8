using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Errors;

/// <summary>Log events of the error path: event ids 2400-2419 (within the API's 2000-2999).</summary>
internal static partial class ErrorsLog
{
    [LoggerMessage(2400, LogLevel.Warning, "Answered {Method} {Path} with 507: the data disk is full ({ExceptionType})")]
    public static partial void DiskFull(ILogger logger, string method, string path, string exceptionType);

    [LoggerMessage(2401, LogLevel.Warning, "Could not keep the {Record} record of an error ({ExceptionType}); the answer went out regardless")]
    public static partial void RecordLost(ILogger logger, string record, string exceptionType);
}
