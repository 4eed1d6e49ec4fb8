using System.Text.Json.Nodes;
using EdgeLlm.Inference.Models;
using EdgeLlm.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Api;

/// <summary>Tells the fleet which models this daemon serves: one <c>model.activated</c> event per model once all are ready.</summary>
internal sealed class ModelActivationReporter(ModelRegistry registry, IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A host without telemetry (the API's own test servers) has nothing to report to.
        if (services.GetService<TelemetryEvents>() is not { } events)
        {
            return;
        }

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
