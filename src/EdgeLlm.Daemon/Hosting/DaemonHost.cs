using EdgeLlm.Api;
using EdgeLlm.Daemon.Composition;
using EdgeLlm.Daemon.Settings;
using EdgeLlm.Guardrails;
using EdgeLlm.Inference;
using EdgeLlm.Retrieval;
using EdgeLlm.Routing;
using EdgeLlm.Storage;
using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates;
using EdgeLlm.Updates.Feeds;
using EdgeLlm.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Hosting;

/// <summary>
/// The composition root: the checked settings (see <see cref="SettingsSources"/>), then each part's one
/// <c>AddEdgeLlm…</c>, the bridges between them and the API's routes. The daemon and the tests' servers are built
/// here alike; a test leaves a part out or changes it through settings, never through a wiring of its own.
/// </summary>
internal static class DaemonHost
{
    /// <param name="arguments">What <c>edgellm serve</c> was given.</param>
    /// <param name="logging">More log providers beside Serilog's console and files (tests that read what was logged).</param>
    public static WebApplication Build(ServeArguments arguments, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        SettingsSources.Load(configuration, arguments, checkSecrets: true);

        builder.WebHost.UseUrls(configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] ?? new ApiOptions().Urls);

        // The slim builder leaves Kestrel's HTTPS out; an https:// address in Api:Urls needs it.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddEdgeLlmDaemon();
        builder.Services.AddEdgeLlmDataDirectory();

        // Hosted services start in the order they are added: the bridges first, so an update event raised while the
        // models load (a crash-loop rollback at boot) already has its way to the fleet.
        builder.Services.AddEdgeLlmBridges();
        builder.Services.AddEdgeLlmInference();
        builder.Services.AddEdgeLlmRetrieval();
        builder.Services.AddEdgeLlmRouting();
        builder.Services.AddEdgeLlmGuardrails();
        builder.Services.AddEdgeLlmUpdates();
        builder.Services.AddEdgeLlmTelemetry();
        builder.Services.AddEdgeLlmApi();
        builder.Services.AddEdgeLlmWebConsole();
        builder.Services.SuperviseBackgroundWorkers();

        var app = builder.Build();
        var services = app.Services;
        DaemonMetrics.Observe(() => (services.GetRequiredService<DataDiskStatus>(), services.GetRequiredService<OutboxStore>()));
        DaemonMetrics.Observe(services.GetRequiredService<FeedMonitor>);
        ApiMetrics.ObserveReadiness(services);
        app.MapEdgeLlmApi();
        app.MapEdgeLlmWebConsole();
        return app;
    }
}
