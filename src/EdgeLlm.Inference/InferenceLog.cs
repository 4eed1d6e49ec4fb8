using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference;

/// <summary>Log events of the inference part: event ids 3000-3999. Never logs prompt or completion text above Debug.</summary>
internal static partial class InferenceLog
{
    [LoggerMessage(3000, LogLevel.Information, "Loading model {ModelName} ({FileBytes} bytes, architecture {Architecture})")]
    public static partial void LoadingModel(ILogger logger, string modelName, long fileBytes, string architecture);

    [LoggerMessage(3001, LogLevel.Information, "Model {ModelName} loaded in {ElapsedMs} ms: context {ContextSize} x {Sequences} sequences, {Threads} threads, {GpuLayers} GPU layers, batch {BatchSize}")]
    public static partial void ModelLoaded(ILogger logger, string modelName, long elapsedMs, int contextSize, int sequences, int threads, int gpuLayers, int batchSize);

    [LoggerMessage(3002, LogLevel.Error, "Model file {ModelName} was refused before loading: {Rejection}: {Reason}")]
    public static partial void ModelRejected(ILogger logger, string modelName, string rejection, string reason);

    [LoggerMessage(3003, LogLevel.Information, "Model {ModelName} has no chat template; using fallback template {Template}")]
    public static partial void UsingFallbackTemplate(ILogger logger, string modelName, string template);

    [LoggerMessage(3004, LogLevel.Information, "Model {ModelName} answered its start-up probe in {ElapsedMs} ms")]
    public static partial void ModelProbed(ILogger logger, string modelName, long elapsedMs);

    [LoggerMessage(3010, LogLevel.Critical, "The inference scheduler loop died; the daemon must restart")]
    public static partial void SchedulerFaulted(ILogger logger, Exception exception);

    [LoggerMessage(3011, LogLevel.Error, "Decode threw; the sequences in the batch were dropped")]
    public static partial void DecodeThrew(ILogger logger, Exception exception);

    [LoggerMessage(3016, LogLevel.Error, "A sequence could not be started (its grammar was refused by llama.cpp?); the request ends with an error")]
    public static partial void SequenceStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(3012, LogLevel.Error, "Decode failed; {Sequences} sequences in the batch were dropped")]
    public static partial void DecodeFailed(ILogger logger, int sequences);

    [LoggerMessage(3013, LogLevel.Error, "Embedding failed")]
    public static partial void EmbeddingFailed(ILogger logger, Exception exception);

    [LoggerMessage(3015, LogLevel.Warning, "A client stopped taking its output for {StalledReaderTimeout} (key {KeyId}, tenant {Tenant}); its generation was stopped after {CompletionTokens} tokens and its sequence freed")]
    public static partial void ClientStalled(ILogger logger, string? keyId, string? tenant, int completionTokens, TimeSpan stalledReaderTimeout);

    [LoggerMessage(3020, LogLevel.Information, "Backend module {ModulePath} registered backend {BackendName} with devices {Devices}")]
    public static partial void BackendModuleLoaded(ILogger logger, string modulePath, string backendName, string devices);

    [LoggerMessage(3021, LogLevel.Error, "Backend module {ModulePath} cannot be used: {ErrorCode}: {Reason}")]
    public static partial void BackendModuleFailed(ILogger logger, string modulePath, string errorCode, string reason);

    [LoggerMessage(3022, LogLevel.Warning, "Serving on the CPU because a backend module failed and Inference:CpuFallback is set")]
    public static partial void CpuFallback(ILogger logger);

    [LoggerMessage(3030, LogLevel.Information, "Running on the llama.cpp natives in {NativeFolder}: {Source}, patches {Patches}")]
    public static partial void UsingBuiltNatives(ILogger logger, string nativeFolder, string source, string patches);

    [LoggerMessage(3031, LogLevel.Information, "Running on LLamaSharp's own natives ({NativeFolder}): {Reason}")]
    public static partial void UsingLLamaSharpNatives(ILogger logger, string nativeFolder, string reason);

    [LoggerMessage(3032, LogLevel.Warning, "The natives in {NativeFolder} cannot be used ({ErrorCode}: {Reason}); falling back to LLamaSharp's own natives")]
    public static partial void NativesFallback(ILogger logger, string nativeFolder, string errorCode, string reason);

    [LoggerMessage(3033, LogLevel.Error, "The natives folder {NativeFolder} set in Inference:NativeDirectory cannot be used: {ErrorCode}: {Reason}")]
    public static partial void NativesRefused(ILogger logger, string nativeFolder, string errorCode, string reason);

    [LoggerMessage(3060, LogLevel.Information, "Model {ModelName}: prompt-prefix reuse and speculation are off: {Reason}")]
    public static partial void KvReuseUnavailable(ILogger logger, string modelName, string reason);

    [LoggerMessage(EventId = 3900, Message = "{NativeMessage}")]
    public static partial void NativeLine(ILogger logger, LogLevel level, string nativeMessage);

    [LoggerMessage(3005, LogLevel.Critical, "Model serving failed; stopping the daemon")]
    public static partial void ModelServingFailed(ILogger logger, Exception exception);

    [LoggerMessage(3006, LogLevel.Information, "Model {ModelName} now serves from {FilePath} (replacing {PreviousPath})")]
    public static partial void ModelSwitched(ILogger logger, string modelName, string filePath, string? previousPath);

    [LoggerMessage(3007, LogLevel.Information, "Model {ModelName} from {FilePath} finished its in-flight requests and was unloaded")]
    public static partial void ModelRetired(ILogger logger, string modelName, string filePath);

    [LoggerMessage(3008, LogLevel.Error, "Unloading the replaced version of model {ModelName} failed")]
    public static partial void ModelRetireFailed(ILogger logger, string modelName, Exception exception);

    [LoggerMessage(3009, LogLevel.Information, "Model {ModelName} was withdrawn from {FilePath}: new requests no longer find it; it unloads once its in-flight requests finish")]
    public static partial void ModelWithdrawn(ILogger logger, string modelName, string filePath);

    [LoggerMessage(3014, LogLevel.Warning, "Fault point {FaultPoint}: this decode loop now blocks until shutdown")]
    public static partial void FaultPointHangs(ILogger logger, string faultPoint);

    [LoggerMessage(3040, LogLevel.Information, "Model {ModelName} has a candidate version from {FilePath} beside its active one")]
    public static partial void CandidateLoaded(ILogger logger, string modelName, string filePath);

    [LoggerMessage(3041, LogLevel.Information, "The candidate of model {ModelName} from {FilePath} was promoted (replacing {PreviousPath})")]
    public static partial void CandidatePromoted(ILogger logger, string modelName, string filePath, string? previousPath);

    [LoggerMessage(3042, LogLevel.Information, "The candidate of model {ModelName} from {FilePath} was retired: requests no longer reach it; it unloads once its in-flight requests finish")]
    public static partial void CandidateRetiring(ILogger logger, string modelName, string filePath);
}
