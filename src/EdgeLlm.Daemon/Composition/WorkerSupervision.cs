using EdgeLlm.Api.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// Puts every background worker of every part under supervision, without the parts knowing: each hosted
/// <see cref="BackgroundService"/> is wrapped in a <see cref="SupervisedWorker"/> that restarts it with back-off when it
/// fails, so a fault in one part never stops the host (and with it inference). Called last in the composition, once
/// every part registered its services.
/// </summary>
internal static class WorkerSupervision
{
    public static IServiceCollection SuperviseBackgroundWorkers(this IServiceCollection services)
    {
        services.AddSingleton<WorkerStates>();
        services.AddSingleton<IWorkerStatusSource>(sp => sp.GetRequiredService<WorkerStates>());
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService
                || descriptor.ImplementationType is { } type && !typeof(BackgroundService).IsAssignableFrom(type))
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => Supervise(sp, Create(sp, descriptor)));
        }

        return services;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    // A lifecycle service keeps its own hooks (the host only calls them on the instance it resolved).
    private static IHostedService Supervise(IServiceProvider services, object service) => service is BackgroundService worker and not IHostedLifecycleService
        ? new SupervisedWorker(
            worker,
            services.GetRequiredService<WorkerStates>().Add(worker.GetType().Name),
            services.GetRequiredService<IOptions<DaemonOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<SupervisedWorker>())
        : (IHostedService)service;
}
