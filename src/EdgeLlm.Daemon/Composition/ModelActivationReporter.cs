using System.Text.Json.Nodes;
using EdgeLlm.Inference.Models;
using EdgeLlm.Telemetry;
using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Daemon.Composition;

/// <summary>Tells the fleet which models this daemon serves: one <c>model.activated</c> event per model once all are ready.</summary>
internal sealed class ModelActivationReporter(ModelRegistry registry, TelemetryEvents events) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await registry.Ready.WaitAsync(stoppingToken);
        foreach (var model in registry.Models)
        {
            events.Write("model.activated", new JsonObject
            {
                ["model"] = model.Name,
                ["architecture"] = model.Architecture,
                ["file"] = Path.GetFileName(model.FilePath),
                ["context_size"] = model.ContextSize,
            });
        }
    }
}
