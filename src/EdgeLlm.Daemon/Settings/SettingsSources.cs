using EdgeLlm.Api;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Inference;
using EdgeLlm.Storage;
using EdgeLlm.Updates;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Settings;

/// <summary>
/// Where settings come from, in precedence order (later wins): the JSON file, <c>EDGELLM__</c> environment variables,
/// the command line's own options (<c>--data-dir</c>, <c>--model</c>, <c>--urls</c>), then <c>--Section:Key value</c> pairs.
/// </summary>
internal static class SettingsSources
{
    public const string DefaultConfigFile = "/etc/edgellm/edgellm.json";

    public const string EnvironmentPrefix = "EDGELLM__";


    /// <summary>
    /// Loads the daemon's settings into <paramref name="configuration"/>, checked: every key any source gives must be
    /// a setting, and with <paramref name="checkSecrets"/> every secret file must be private to the daemon, its
    /// <c>credential:NAME</c> references resolved to files. Throws <see cref="InvalidSettingsException"/>.
    /// </summary>
    public static ConfigurationManager Load(ConfigurationManager configuration, ServeArguments arguments, bool checkSecrets)
    {
        Add(configuration, arguments);
        var failures = UnknownSettings.Find(configuration);
        if (checkSecrets)
        {
            var (resolved, secretFailures) = SecretFiles.Check(configuration, Environment.GetEnvironmentVariable(SecretFiles.CredentialsDirectoryVariable));
            failures.AddRange(secretFailures);
            configuration.AddInMemoryCollection(resolved);
        }

        return failures.Count == 0 ? configuration : throw new InvalidSettingsException(failures);
    }

    /// <summary>The settings for a command that reads them but holds no secret.</summary>
    public static ConfigurationManager Load(ServeArguments arguments) => Load(new ConfigurationManager(), arguments, checkSecrets: false);

    /// <summary>Adds the sources, unchecked, to <paramref name="configuration"/>.</summary>
    public static IConfigurationBuilder Add(IConfigurationBuilder configuration, ServeArguments arguments)
    {
        configuration.AddInMemoryCollection(InstanceDefaults(arguments));
        if (ConfigFile(arguments) is { } file)
        {
            var source = new SettingsFileSource { Path = file, Optional = arguments.ConfigFile is null, ReloadOnChange = false };
            source.ResolveFileProvider();
            configuration.Add(source);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(Overrides(arguments));
        configuration.AddCommandLine([.. arguments.Settings]);
        return configuration;
    }

    /// <summary>
    /// <c>--config</c>; else a data directory given on the command line is an instance of its own, with its settings
    /// file inside it if it has one (never the host's, so a development or test instance is the same on any machine);
    /// else the appliance's file.
    /// </summary>
    private static string? ConfigFile(ServeArguments arguments)
    {
        if (arguments.ConfigFile is not null)
        {
            return Path.GetFullPath(arguments.ConfigFile);
        }

        return arguments.DataDirectory is null ? DefaultConfigFile : new DataDirectoryLayout(arguments.DataDirectory).SettingsFile;
    }

    /// <summary>
    /// The defaults of a self-contained <c>--data-dir</c> instance, below every source: its logs and trusted keys live in
    /// it, not in the host's <c>/var/log</c> and <c>/etc</c>. A source that names them still wins.
    /// </summary>
    private static Dictionary<string, string?> InstanceDefaults(ServeArguments arguments)
    {
        if (arguments.DataDirectory is null)
        {
            return [];
        }

        var layout = new DataDirectoryLayout(Path.GetFullPath(arguments.DataDirectory));
        return new Dictionary<string, string?>
        {
            [$"{DaemonOptions.SectionName}:{nameof(DaemonOptions.LogDirectory)}"] = layout.Logs,
            [$"{UpdatesOptions.SectionName}:{nameof(UpdatesOptions.TrustedKeysDirectory)}"] = layout.TrustedKeys,
        };
    }

    private static Dictionary<string, string?> Overrides(ServeArguments arguments)
    {
        var overrides = new Dictionary<string, string?>();
        if (arguments.DataDirectory is not null)
        {
            overrides[$"{DaemonOptions.SectionName}:{nameof(DaemonOptions.DataDirectory)}"] = Path.GetFullPath(arguments.DataDirectory);
        }

        if (arguments.ModelPath is not null)
        {
            overrides[$"{InferenceOptions.SectionName}:{nameof(InferenceOptions.Models)}:0:{nameof(ModelOptions.Path)}"] = Path.GetFullPath(arguments.ModelPath);
        }

        if (arguments.Urls is not null)
        {
            overrides[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] = arguments.Urls;
        }

        return overrides;
    }
}

/// <summary>Settings the daemon cannot start with: each message names the setting and where it came from.</summary>
internal sealed class InvalidSettingsException(IReadOnlyList<string> failures)
    : FormatException("Invalid settings:\n  " + string.Join("\n  ", failures))
{
    public IReadOnlyList<string> Failures { get; } = failures;
}
