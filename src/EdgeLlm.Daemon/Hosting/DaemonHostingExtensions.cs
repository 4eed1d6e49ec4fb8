using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeLlm.Daemon.Hosting;

internal static class DaemonHostingExtensions
{
    /// <summary>
    /// The host itself: its options (validated at start-up), Serilog, systemd's readiness and watchdog, the graceful stop
    /// and the host's options that go with it.
    /// </summary>
    public static IServiceCollection AddEdgeLlmDaemon(this IServiceCollection services)
    {
        services.AddOptions<DaemonOptions>()
            .BindConfiguration(DaemonOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddEdgeLlmDaemonLogging();
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<DaemonRun>();
        services.AddHostedService<SystemdIntegrationService>();
        services.AddHostedService<GracefulShutdown>();
        services.AddOptions<HostOptions>().Configure<IOptions<DaemonOptions>>((host, daemon) =>
        {
            // A worker's failure is the supervision's to handle (see WorkerSupervision), never a reason to stop the host;
            // the host's own timeout covers the drain, so the server never has to cut a connection.
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
            host.ShutdownTimeout = GracefulShutdown.HostShutdownTimeout(daemon.Value);
        });
        return services;
    }
}
