using System.Diagnostics;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// Loads the configured ggml backend modules, then every model the <see cref="IServedModelSource"/> names, in the background (so
/// <c>/healthz</c> answers while weights load), probes each with a one-token generation, then marks the registry ready. A model that cannot be
/// served, or a scheduler loop that dies later, stops the daemon with a non-zero exit code so systemd
/// restarts it.
/// </summary>
internal sealed class ModelLoadingService(
    GgmlBackendRegistry backends,
    ModelLoader loader,
    ModelRegistry registry,
    IServedModelSource sources,
    IOptions<InferenceOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ModelLoadingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(backends.PrepareForModels, stoppingToken);
            foreach (var model in sources.StartupModels(options.Value.Models))
            {
                var loaded = await Task.Run(() => loader.Load(model), stoppingToken);
                registry.Add(loaded);
                var stopwatch = Stopwatch.StartNew();
                await ModelHealthCheck.RunAsync(loaded, 1, stoppingToken);
                InferenceLog.ModelProbed(logger, loaded.Name, stopwatch.ElapsedMilliseconds);
            }

            registry.MarkReady();
            await WatchSchedulersAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down while loading.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Fail(ex);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await registry.DisposeAsync();
    }

    /// <summary>Returns when a served model's scheduler stops on its own; a replaced version's scheduler stopping is expected.</summary>
    private async Task WatchSchedulersAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var served = registry.Models;
            var changed = registry.Changed;
            await Task.WhenAny(served.Select(m => m.Scheduler.Completion).Append(changed).Append(Task.Delay(Timeout.Infinite, stoppingToken)));
            if (served.Any(m => m.Scheduler.Completion.IsCompleted && registry.Models.Contains(m)))
            {
                Fail(new ModelLoadException("An inference scheduler stopped unexpectedly."));
                return;
            }
        }
    }

    private void Fail(Exception ex)
    {
        InferenceLog.ModelServingFailed(logger, ex);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }
}
