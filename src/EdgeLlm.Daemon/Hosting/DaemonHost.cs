using EdgeLlm.Api;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Daemon.Settings;
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
/// The composition root: the checked settings (see <see cref="SettingsSources"/>), then each part's one
/// <c>AddEdgeLlm…</c> and the API's routes.
/// </summary>
internal static class DaemonHost
{
    public static WebApplication Build(ServeArguments arguments)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        SettingsSources.Load(configuration, arguments, checkSecrets: true);

        builder.WebHost.UseUrls(configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] ?? new ApiOptions().Urls);
        builder.Services.AddOptions<DaemonOptions>()
            .BindConfiguration(DaemonOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddEdgeLlmDaemonLogging();
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

    /// <summary>The control-plane LiteDB file of a data directory.</summary>
    public static string StateDatabase(DaemonOptions options) => Path.Combine(options.DataDirectory, "state.db");
}
