using System.Text.Json.Nodes;
using EdgeLlm.Telemetry;
using EdgeLlm.Updates.Sources;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api;

/// <summary>
/// Joins updates and telemetry, which know nothing of each other: every update event (installed, refused and why,
/// failed, rolled back, a crash-loop rollback) becomes an <c>update.*</c> event for the fleet, and the fleet's
/// update-check command runs a pull. Either side may be absent (the API's test servers).
/// </summary>
internal sealed class UpdateTelemetryBridge(IServiceProvider services, ILogger<UpdateTelemetryBridge> logger) : IHostedService, IUpdateCheckTrigger
{
    private UpdateStateStore? _state;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<TelemetryEvents>() is { } events && services.GetService<UpdateStateStore>() is { } state)
        {
            _state = state;
            _state.EventRecorded += e => events.Write("update." + Kind(e.Event), new JsonObject
            {
                ["bundle"] = e.Bundle,
                ["channel"] = e.Channel,
                ["sequence"] = e.Sequence,
                ["code"] = e.Code,
                ["message"] = e.Message,
            });
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void RequestUpdateCheck(string origin)
    {
        if (services.GetService<UpdatePuller>() is not { } puller)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var outcome = await puller.CheckNowAsync(CancellationToken.None);
                ApiLog.UpdateCheckRequested(logger, origin, outcome);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ApiLog.UpdateCheckFailed(logger, origin, ex);
            }
        });
    }

    private static string Kind(string updateEvent) => updateEvent == "update_failed" ? "failed" : updateEvent;
}
