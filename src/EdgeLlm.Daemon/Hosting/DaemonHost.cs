using EdgeLlm.Api;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Inference;
using EdgeLlm.Retrieval;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Hosting;

/// <summary>
/// The composition root: settings from the JSON file, then <c>EDGELLM__</c> environment variables, then
/// the command line (later wins); then each part's one <c>AddEdgeLlm…</c> and the API's routes.
/// </summary>
internal static class DaemonHost
{
    public const string DefaultConfigFile = "/etc/edgellm/edgellm.json";

    public static WebApplication Build(ServeArguments arguments)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        AddSettingsSources(configuration, arguments);

        builder.WebHost.UseUrls(configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] ?? new ApiOptions().Urls);
        builder.Services.AddOptions<DaemonOptions>()
            .BindConfiguration(DaemonOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddEdgeLlmDaemonLogging(configuration);
        builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<SystemdIntegrationService>();
        builder.Services.AddEdgeLlmInference();
        builder.Services.AddEdgeLlmRetrieval();
        builder.Services.AddOptions<RetrievalOptions>()
            .Configure<IOptions<DaemonOptions>>((retrieval, daemon) =>
            {
                if (string.IsNullOrWhiteSpace(retrieval.DatabasePath))
                {
                    retrieval.DatabasePath = Path.Combine(daemon.Value.DataDirectory, "retrieval.db");
                }
            });
        builder.Services.AddEdgeLlmUpdates();
        builder.Services.AddOptions<UpdatesOptions>()
            .Configure<IOptions<DaemonOptions>>((updates, daemon) => updates.DataDirectory ??= daemon.Value.DataDirectory);
        builder.Services.AddEdgeLlmTelemetry();
        builder.Services.AddOptions<TelemetryOptions>().Configure<IOptions<DaemonOptions>>((telemetry, daemon) =>
        {
            if (string.IsNullOrWhiteSpace(telemetry.OutboxPath))
            {
                telemetry.OutboxPath = Path.Combine(daemon.Value.DataDirectory, "outbox.db");
            }
        });
        builder.Services.AddEdgeLlmApi();
        builder.Services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DaemonOptions>>((auth, daemon) =>
            {
                if (string.IsNullOrWhiteSpace(auth.StateDatabasePath))
                {
                    auth.StateDatabasePath = StateDatabase(daemon.Value);
                }
            });

        var app = builder.Build();
        app.MapEdgeLlmApi();
        return app;
    }

    /// <summary>The settings sources in precedence order (later wins): JSON file, <c>EDGELLM__</c> environment, command line.</summary>
    public static IConfigurationBuilder AddSettingsSources(IConfigurationBuilder configuration, ServeArguments arguments)
    {
        configuration.AddJsonFile(ConfigFile(arguments), optional: arguments.ConfigFile is null, reloadOnChange: false);
        configuration.AddEnvironmentVariables("EDGELLM__");
        configuration.AddInMemoryCollection(Overrides(arguments));
        configuration.AddCommandLine([.. arguments.Settings]);
        return configuration;
    }

    /// <summary>The control-plane LiteDB file of a data directory.</summary>
    public static string StateDatabase(DaemonOptions options) => Path.Combine(options.DataDirectory, "state.db");

    private static string ConfigFile(ServeArguments arguments)
    {
        if (arguments.ConfigFile is not null)
        {
            return Path.GetFullPath(arguments.ConfigFile);
        }

        var inDataDirectory = arguments.DataDirectory is null ? null : Path.Combine(Path.GetFullPath(arguments.DataDirectory), "edgellm.json");
        return inDataDirectory is not null && File.Exists(inDataDirectory) ? inDataDirectory : DefaultConfigFile;
    }

    private static Dictionary<string, string?> Overrides(ServeArguments arguments)
    {
        var overrides = new Dictionary<string, string?>();
        if (arguments.DataDirectory is not null)
        {
            var dataDirectory = Path.GetFullPath(arguments.DataDirectory);
            overrides[$"{DaemonOptions.SectionName}:{nameof(DaemonOptions.DataDirectory)}"] = dataDirectory;
            overrides[$"{DaemonOptions.SectionName}:{nameof(DaemonOptions.LogDirectory)}"] = Path.Combine(dataDirectory, "logs");
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
