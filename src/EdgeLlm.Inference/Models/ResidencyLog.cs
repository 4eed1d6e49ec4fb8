using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Models;

internal static partial class ResidencyLog
{
    [LoggerMessage(3050, LogLevel.Information, "Models may take {HostBudgetBytes} bytes of host memory and [{GpuBudgetBytes}] bytes per GPU")]
    public static partial void Budget(ILogger logger, long hostBudgetBytes, string gpuBudgetBytes);

    [LoggerMessage(3051, LogLevel.Information, "Model {ModelName} ({LoadPolicy}) loaded in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, string modelName, string loadPolicy, long elapsedMs);

    [LoggerMessage(3052, LogLevel.Information, "Model {ModelName} was unloaded after {KeepAlive} without requests")]
    public static partial void IdleUnloaded(ILogger logger, string modelName, TimeSpan keepAlive);

    [LoggerMessage(3053, LogLevel.Information, "Model {ModelName} was evicted (least recently used) to make room for {LoadingModel}")]
    public static partial void Evicted(ILogger logger, string modelName, string loadingModel);

    [LoggerMessage(3054, LogLevel.Warning, "Model {ModelName} ({FootprintBytes} bytes) does not fit in the memory budget beside the models in use; the request is refused")]
    public static partial void NoRoom(ILogger logger, string modelName, long footprintBytes);

    [LoggerMessage(3055, LogLevel.Error, "Model {ModelName} failed to load: {ErrorCode}: {Reason}")]
    public static partial void LoadFailed(ILogger logger, string modelName, string errorCode, string reason);
}
