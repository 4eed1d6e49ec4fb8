using EdgeLlm.Api.Lifecycle;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Daemon.Hosting;

/// <summary>
/// The first thing the host does when it stops (SIGTERM), before any service, the server included, is stopped: turns
/// <c>/readyz</c> false and new requests away with 503 (the server keeps listening, so they get that answer), lets
/// the requests in flight finish for up to <see cref="DaemonOptions.ShutdownTimeout"/>, then ends the generations
/// still running with <see cref="Inference.Scheduling.FinishReason.Shutdown"/>, so each stream gets an error event and
/// <c>[DONE]</c> before the server closes its connections: no client sees a reset.
/// </summary>
internal sealed class GracefulShutdown(
    RequestDrain drain,
    ModelRegistry registry,
    CandidateModels candidates,
    ISystemdNotifier notifier,
    IOptions<DaemonOptions> options,
    TimeProvider time,
    ILogger<GracefulShutdown> logger) : IHostedLifecycleService
{
    /// <summary>What a generation ended at the deadline gets to write its error event and <c>[DONE]</c>: 5 s.</summary>
    public static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(5);

    /// <summary>The host's own shutdown timeout: the drain, the end grace, and 5 s for the services' own stops.</summary>
    public static TimeSpan HostShutdownTimeout(DaemonOptions daemon) => daemon.ShutdownTimeout + EndGrace + TimeSpan.FromSeconds(5);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        drain.Begin();
        notifier.Notify(ServiceState.Stopping);
        DaemonLog.Draining(logger, options.Value.ShutdownTimeout, drain.InFlight);
        try
        {
            if (!await drain.WaitUntilIdleAsync(options.Value.ShutdownTimeout, time, cancellationToken))
            {
                DaemonLog.EndingGenerations(logger, drain.InFlight);
                foreach (var model in registry.Models.Concat(candidates.All))
                {
                    model.Scheduler.EndForShutdown();
                }

                if (!await drain.WaitUntilIdleAsync(EndGrace, time, cancellationToken))
                {
                    return;
                }
            }

            DaemonLog.Drained(logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's own timeout passed: the server stops now, whatever is still running.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
