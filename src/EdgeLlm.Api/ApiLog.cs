using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api;

/// <summary>The logger category of the API's endpoints.</summary>
internal sealed class ApiLogCategory;

/// <summary>Log events of the API: event ids 2000-2999 (2100-2199 are authentication's).</summary>
internal static partial class ApiLog
{
    [LoggerMessage(2000, LogLevel.Debug, "Prompt text: {Prompt}")]
    public static partial void PromptText(ILogger logger, string prompt);

    [LoggerMessage(2001, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
}
