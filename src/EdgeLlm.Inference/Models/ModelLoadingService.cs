using System.Diagnostics;
using EdgeLlm.Inference.Backends;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// Loads the configured ggml backend modules, then every configured model, in the background (so
/// <c>/healthz</c> answers while weights load), probes each with a one-token generation, then marks the registry ready. A model that cannot be
/// served, or a scheduler loop that dies later, stops the daemon with a non-zero exit code so systemd
/// restarts it.
/// </summary>
internal sealed class ModelLoadingService(
    GgmlBackendRegistry backends,
    ModelLoader loader,
    ModelRegistry registry,
    IOptions<InferenceOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ModelLoadingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(backends.PrepareForModels, stoppingToken);
            foreach (var model in options.Value.Models)
            {
                var loaded = await Task.Run(() => loader.Load(model), stoppingToken);
                registry.Add(loaded);
                await ProbeAsync(loaded, stoppingToken);
            }

            registry.MarkReady();
            await Task.WhenAny(registry.Models.Select(m => m.Scheduler.Completion).Append(Task.Delay(Timeout.Infinite, stoppingToken)));
            if (!stoppingToken.IsCancellationRequested)
            {
                Fail(new ModelLoadException("An inference scheduler stopped unexpectedly."));
            }
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

    private async Task ProbeAsync(LoadedModel model, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var tokens = model.Tokenizer.Tokenize("Hello", parseSpecial: false);
        var request = new GenerationRequest(tokens, SamplingParameters.Greedy, 1, []);
        if (model.Scheduler.TrySubmit(request, cancellationToken) is not AdmissionResult.Admitted admitted)
        {
            throw new ModelLoadException(model.Name, "probe_refused", "The scheduler refused the start-up probe.");
        }

        using var stream = admitted.Stream;
        await foreach (var item in stream.ReadAllAsync(cancellationToken))
        {
            if (item is GenerationFinished { Reason: not (FinishReason.Stop or FinishReason.Length) } finished)
            {
                throw new ModelLoadException(model.Name, "probe_failed", $"The start-up probe ended with {finished.Reason}.");
            }
        }

        InferenceLog.ModelProbed(logger, model.Name, stopwatch.ElapsedMilliseconds);
    }

    private void Fail(Exception ex)
    {
        InferenceLog.ModelServingFailed(logger, ex);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }
}
