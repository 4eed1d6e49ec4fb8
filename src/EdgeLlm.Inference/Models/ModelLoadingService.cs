using System.Diagnostics;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// Loads the configured ggml backend modules, sets the memory budget from the devices found, registers every model the
/// <see cref="IServedModelSource"/> names (file checked, footprint estimated), then loads the pinned ones in the
/// background (so <c>/healthz</c> answers while weights load), probes each with a one-token generation, and marks the
/// registry ready; on-demand models load at their first request. A model that cannot be served, a portfolio over the
/// budget, or a scheduler loop that dies later, stops the daemon with a non-zero exit code so systemd restarts it.
/// </summary>
internal sealed class ModelLoadingService(
    GgmlBackendRegistry backends,
    ModelResidency residency,
    ModelRegistry registry,
    IServedModelSource sources,
    IOptions<InferenceOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ModelLoadingService> logger) : BackgroundService
{
    /// <summary>How often keep-alives are checked: the granularity of an idle unload.</summary>
    internal static readonly TimeSpan IdleCheckPeriod = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var inventory = await Task.Run(backends.PrepareForModels, stoppingToken);
            residency.Configure(MemoryBudget.Resolve(options.Value, inventory.GpuDevices, HostMemory.ReportedBytes()), inventory.GpuOffload);
            var slots = await Task.Run(() => sources.StartupModels(options.Value.Models).Select(residency.Register).ToList(), stoppingToken);
            residency.CheckBudget();
            foreach (var slot in slots.Where(s => s.Policy == ModelLoadPolicy.Pinned))
            {
                var stopwatch = Stopwatch.StartNew();
                var loaded = await residency.LoadAsync(slot, stoppingToken);
                InferenceLog.ModelProbed(logger, loaded.Name, stopwatch.ElapsedMilliseconds);
            }

            registry.MarkReady();
            await Task.WhenAll(WatchSchedulersAsync(stoppingToken), UnloadIdleAsync(stoppingToken));
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

    /// <summary>Each second, unloads the on-demand models whose keep-alive ran out.</summary>
    private async Task UnloadIdleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(IdleCheckPeriod, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var model in residency.TakeIdle())
            {
                await residency.RetireAsync(model);
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
