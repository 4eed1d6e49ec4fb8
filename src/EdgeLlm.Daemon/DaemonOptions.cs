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
    }
}
