using LLama.Native;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>llama.cpp's log in a benchmark process: errors only, so the report stays readable.</summary>
internal static class NativeLog
{
    // Kept in a static field: native code holds the delegate for the life of the process.
    private static readonly NativeLogConfig.LLamaLogCallback ErrorsToStandardError = (level, message) =>
    {
        if (level == LLamaLogLevel.Error)
        {
            Console.Error.Write(message);
        }
    };

    /// <summary>Installs the callback; the natives must be configured first (this is a LLamaSharp call).</summary>
    public static void ErrorsOnly() => NativeLogConfig.llama_log_set(ErrorsToStandardError);
}
