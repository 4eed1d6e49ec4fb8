using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Daemon;

/// <summary>Settings of the host itself (section <c>Daemon</c>).</summary>
public sealed class DaemonOptions : IValidatableObject
{
    public const string SectionName = "Daemon";

    /// <summary>Where the daemon keeps its state (state.db, models, incoming bundles). Default <c>/var/lib/edgellm</c>; <c>--data-dir</c> sets it.</summary>
    [Required]
    public string DataDirectory { get; set; } = "/var/lib/edgellm";

    /// <summary>Folder of the rolling JSON log files. Default <c>/var/log/edgellm</c>, or <c>&lt;data-dir&gt;/logs</c> when <c>--data-dir</c> is given.</summary>
    [Required]
    public string LogDirectory { get; set; } = "/var/log/edgellm";

    /// <summary>Size at which a log file rolls over, in bytes. Default 16 MiB.</summary>
    [Range(1L << 16, 1L << 34)]
    public long LogFileSizeLimitBytes { get; set; } = 16L << 20;

    /// <summary>Rolled log files kept. Default 10.</summary>
    [Range(1, 1000)]
    public int RetainedLogFiles { get; set; } = 10;

    /// <summary>Log level of the console and files: Verbose, Debug, Information, Warning, Error. Default Information.</summary>
    public Serilog.Events.LogEventLevel LogLevel { get; set; } = Serilog.Events.LogEventLevel.Information;

    /// <summary>
    /// How long, after SIGTERM, running requests may take to finish before the generations still running are ended
    /// with an error event (<c>server_shutting_down</c>) and the daemon exits. <c>/readyz</c> turns false and new
    /// requests get 503 at once. Default 30 s; the systemd units' <c>TimeoutStopSec</c> is this plus 15 s.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before a failed background worker is started again; it doubles (with jitter) with each failure in a row. Default 1 s.</summary>
    public TimeSpan WorkerRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts of a background worker that keeps failing. Default 5 min.</summary>
    public TimeSpan WorkerRestartMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Path.IsPathFullyQualified(DataDirectory))
        {
            yield return new ValidationResult("Daemon:DataDirectory must be an absolute path.", [nameof(DataDirectory)]);
        }

        if (!Path.IsPathFullyQualified(LogDirectory))
        {
            yield return new ValidationResult("Daemon:LogDirectory must be an absolute path.", [nameof(LogDirectory)]);
        }

        if (ShutdownTimeout < TimeSpan.FromSeconds(1) || ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Daemon:ShutdownTimeout must be between 00:00:01 and 00:10:00.", [nameof(ShutdownTimeout)]);
        }

        if (WorkerRestartDelay < TimeSpan.FromMilliseconds(100) || WorkerRestartMaxDelay < WorkerRestartDelay || WorkerRestartMaxDelay > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                "Daemon:WorkerRestartDelay must be at least 00:00:00.1 and Daemon:WorkerRestartMaxDelay between it and 01:00:00.", [nameof(WorkerRestartDelay), nameof(WorkerRestartMaxDelay)]);
        }
    }
}
