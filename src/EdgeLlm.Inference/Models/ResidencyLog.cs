using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Models;

internal static partial class ResidencyLog
{
    [LoggerMessage(3040, LogLevel.Information, "Models may take {HostBudgetBytes} bytes of host memory and [{GpuBudgetBytes}] bytes per GPU")]
    public static partial void Budget(ILogger logger, long hostBudgetBytes, string gpuBudgetBytes);

    [LoggerMessage(3041, LogLevel.Information, "Model {ModelName} ({LoadPolicy}) loaded in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, string modelName, string loadPolicy, long elapsedMs);

    [LoggerMessage(3042, LogLevel.Information, "Model {ModelName} was unloaded after {KeepAlive} without requests")]
    public static partial void IdleUnloaded(ILogger logger, string modelName, TimeSpan keepAlive);

    [LoggerMessage(3043, LogLevel.Information, "Model {ModelName} was evicted (least recently used) to make room for {LoadingModel}")]
    public static partial void Evicted(ILogger logger, string modelName, string loadingModel);

    [LoggerMessage(3044, LogLevel.Warning, "Model {ModelName} ({FootprintBytes} bytes) does not fit in the memory budget beside the models in use; the request is refused")]
    public static partial void NoRoom(ILogger logger, string modelName, long footprintBytes);

    [LoggerMessage(3045, LogLevel.Error, "Model {ModelName} failed to load: {ErrorCode}: {Reason}")]
    public static partial void LoadFailed(ILogger logger, string modelName, string errorCode, string reason);
}
