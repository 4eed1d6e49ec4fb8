using System.Globalization;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Hosting;

/// <summary>
/// Tells systemd (Type=notify) READY=1 only once every model is loaded and has answered and the server is
/// listening, and sends
/// watchdog pings only while every scheduler loop keeps beating, so a hung decode loop makes systemd
/// restart the daemon. Does nothing when not started by systemd.
/// </summary>
internal sealed class SystemdIntegrationService(
    ISystemdNotifier notifier,
    ModelRegistry registry,
    CandidateModels candidates,
    IHostApplicationLifetime lifetime,
    DaemonRun run,
    TimeProvider time,
    ILogger<SystemdIntegrationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ready means answering: the models are loaded and probed, and the server is listening (models can
        // finish loading before Kestrel has bound its sockets).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await Task.WhenAll(registry.Ready, started.Task).WaitAsync(stoppingToken);
        }

        run.MarkReady();
        notifier.Notify(ServiceState.Ready);
        DaemonLog.Ready(logger, notifier.IsEnabled);
        if (WatchdogInterval() is not { } interval || !notifier.IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (AllSchedulersBeating(interval))
            {
                notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.Notify(ServiceState.Stopping);
        return base.StopAsync(cancellationToken);
    }

    private bool AllSchedulersBeating(TimeSpan interval)
    {
        var now = time.GetUtcNow();
        foreach (var model in registry.Models.Concat(candidates.All))
        {
            var snapshot = model.Scheduler.Snapshot;
            var age = now - snapshot.LastHeartbeat;
            if (snapshot.Faulted || age > interval / 2)
            {
                DaemonLog.WatchdogWithheld(logger, model.Name, age.TotalSeconds);
                return false;
            }
        }

        return true;
    }

    private static TimeSpan? WatchdogInterval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
}
