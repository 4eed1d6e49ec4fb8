using System.Text;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Routes llama.cpp's own log into the daemon's logger (category <c>LLama.Native</c>), one event per line.
/// llama.cpp is chatty at Info while loading, so Info maps to Debug and Debug to Trace.
/// </summary>
internal static class NativeLogBridge
{
    private static readonly Lock Gate = new();
    private static readonly StringBuilder Pending = new();
    private static ILogger? _logger;
    private static LogLevel _pendingLevel = LogLevel.Debug;
    private static NativeLogConfig.LLamaLogCallback? _callback;

    [ThreadStatic]
    private static StringBuilder? _capture;

    public static void Install(ILoggerFactory loggerFactory)
    {
        lock (Gate)
        {
            _logger = loggerFactory.CreateLogger("LLama.Native");
            EnsureCallback();
        }
    }

    /// <summary>
    /// Also collects, until disposed, what native code logs on this thread (ggml logs synchronously on the
    /// caller's thread), so a native refusal can be quoted in an error. Installs the bridge if needed.
    /// </summary>
    public static IDisposable Capture(out StringBuilder captured)
    {
        lock (Gate)
        {
            _logger ??= NullLogger.Instance;
            EnsureCallback();
        }

        captured = new StringBuilder();
        _capture = captured;
        return new CaptureScope();
    }

    private static void EnsureCallback()
    {
        if (_callback is not null)
        {
            return;
        }

        // Kept in a static field: native code holds the delegate for the life of the process.
        _callback = OnNativeLog;
        NativeLogConfig.llama_log_set(_callback);
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        _capture?.Append(message);
        lock (Gate)
        {
            if (level != LLamaLogLevel.Continue)
            {
                _pendingLevel = level switch
                {
                    LLamaLogLevel.Error => LogLevel.Error,
                    LLamaLogLevel.Warning => LogLevel.Warning,
                    LLamaLogLevel.Info => LogLevel.Debug,
                    _ => LogLevel.Trace,
                };
            }

            Pending.Append(message);
            var text = Pending.ToString();
            var newline = text.LastIndexOf('\n');
            if (newline < 0)
            {
                return;
            }

            Pending.Clear().Append(text, newline + 1, text.Length - newline - 1);
            foreach (var line in text[..newline].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                InferenceLog.NativeLine(_logger!, _pendingLevel, line);
            }
        }
    }

    private sealed class CaptureScope : IDisposable
    {
        public void Dispose() => _capture = null;
    }
}
