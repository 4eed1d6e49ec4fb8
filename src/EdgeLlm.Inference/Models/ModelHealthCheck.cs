using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Models;

/// <summary>Whether a loaded model answers: a short greedy generation through its own scheduler.</summary>
internal static class ModelHealthCheck
{
    /// <summary>Generates up to <paramref name="tokens"/> tokens after "Hello".</summary>
    /// <exception cref="ModelLoadException">The scheduler refused the request or the generation failed.</exception>
    public static async Task RunAsync(LoadedModel model, int tokens, CancellationToken cancellationToken)
    {
        var request = new GenerationRequest(model.Tokenizer.Tokenize("Hello", parseSpecial: false), SamplingParameters.Greedy, tokens, []);
        if (model.Scheduler.TrySubmit(request, cancellationToken) is not AdmissionResult.Admitted admitted)
        {
            throw new ModelLoadException(model.Name, "probe_refused", "The scheduler refused the health-check generation.");
        }

        using var stream = admitted.Stream;
        await foreach (var item in stream.ReadAllAsync(cancellationToken))
        {
            if (item is GenerationFinished { Reason: not (FinishReason.Stop or FinishReason.Length) } finished)
            {
                throw new ModelLoadException(model.Name, "probe_failed", $"The health-check generation ended with {finished.Reason}.");
            }
        }
    }
}
