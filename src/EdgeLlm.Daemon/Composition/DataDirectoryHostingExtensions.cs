using EdgeLlm.Retrieval;
using EdgeLlm.Storage;
using EdgeLlm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Composition;

/// <summary>The data directory: its layout, the one <see cref="StateDatabase"/>, whether its disk has room (<see cref="DataDiskStatus"/>), and each part's files in it.</summary>
internal static class DataDirectoryHostingExtensions
{
    public static IServiceCollection AddEdgeLlmDataDirectory(this IServiceCollection services)
    {
        services.AddSingleton(sp => new DataDirectoryLayout(sp.GetRequiredService<IOptions<DaemonOptions>>().Value.DataDirectory));
        services.AddSingleton(sp => new StateDatabase(sp.GetRequiredService<DataDirectoryLayout>().StateDatabase));
        services.AddSingleton(sp => new DataDiskStatus(sp.GetRequiredService<DataDirectoryLayout>().Root, sp.GetRequiredService<TimeProvider>()));

        // A part's own setting for its file wins; otherwise the file lives where the layout says.
        services.AddOptions<RetrievalOptions>().Configure<DataDirectoryLayout>((retrieval, layout) =>
        {
            if (string.IsNullOrWhiteSpace(retrieval.DatabasePath))
            {
                retrieval.DatabasePath = layout.RetrievalDatabase;
            }
        });
        services.AddOptions<TelemetryOptions>().Configure<DataDirectoryLayout>((telemetry, layout) =>
        {
            if (string.IsNullOrWhiteSpace(telemetry.OutboxPath))
            {
                telemetry.OutboxPath = layout.OutboxDatabase;
            }
        });
        return services;
    }
}
