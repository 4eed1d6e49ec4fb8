using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeLlm.Daemon.Hosting;

internal static class DaemonHostingExtensions
{
    /// <summary>The host itself: its options (validated at start-up), Serilog, and systemd's readiness and watchdog.</summary>
    public static IServiceCollection AddEdgeLlmDaemon(this IServiceCollection services)
    {
        services.AddOptions<DaemonOptions>()
            .BindConfiguration(DaemonOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddEdgeLlmDaemonLogging();
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService<SystemdIntegrationService>();
        return services;
    }
}
