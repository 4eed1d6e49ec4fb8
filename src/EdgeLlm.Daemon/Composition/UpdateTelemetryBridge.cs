using System.Text.Json.Nodes;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates.Sources;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// Joins updates and telemetry, which know nothing of each other: every update event (installed, refused and why,
/// failed, rolled back, a crash-loop rollback) becomes an <c>update.*</c> event for the fleet, and the fleet's
/// update-check command runs a pull. Each event is also counted by kind for <c>/metrics</c> (<c>edgellm_update_events_total</c>).
/// </summary>
internal sealed class UpdateTelemetryBridge(UpdateStateStore state, TelemetryEvents events, UpdatePuller puller, ILogger<UpdateTelemetryBridge> logger)
    : IHostedService, IUpdateCheckTrigger
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        DaemonMetrics.UpdateEventsBaseline();
        state.EventRecorded += Forward;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        state.EventRecorded -= Forward;
        return Task.CompletedTask;
    }

    public void RequestUpdateCheck(string origin)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                var outcome = await puller.CheckNowAsync(CancellationToken.None);
                DaemonLog.UpdateCheckRequested(logger, origin, outcome);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                DaemonLog.UpdateCheckFailed(logger, origin, ex);
            }
        });
    }

    private void Forward(UpdateEvent recorded)
    {
        var kind = Kind(recorded.Event);
        DaemonMetrics.UpdateEventRecorded(kind);
        events.Write("update." + kind, new JsonObject
        {
            ["bundle"] = recorded.Bundle,
            ["channel"] = recorded.Channel,
            ["sequence"] = recorded.Sequence,
            ["code"] = recorded.Code,
            ["message"] = recorded.Message,
        });
    }

    private static string Kind(string updateEvent) => updateEvent == "update_failed" ? "failed" : updateEvent;
}
