using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// Whether a loaded model answers, through its own scheduler: a short greedy generation, or for an embedding model (which
/// cannot generate) one embedding of a short text.
/// </summary>
internal static class ModelHealthCheck
{
    private const string ProbeText = "Hello";

    /// <summary>Generates up to <paramref name="tokens"/> tokens after "Hello"; an embedding model embeds "Hello" instead.</summary>
    /// <exception cref="ModelLoadException">The scheduler refused the request, or the generation or embedding failed.</exception>
    public static async Task RunAsync(LoadedModel model, int tokens, CancellationToken cancellationToken)
    {
        if (model.Settings.Role == ModelRole.Embedding)
        {
            await EmbedAsync(model, cancellationToken);
            return;
        }

        var request = new GenerationRequest(model.Tokenizer.Tokenize(ProbeText, parseSpecial: false), SamplingParameters.Greedy, tokens, []);
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

    /// <summary>One embedding of "Hello": a vector as long as the model's hidden size, finite, and not all zeros.</summary>
    private static async Task EmbedAsync(LoadedModel model, CancellationToken cancellationToken)
    {
        var task = model.Scheduler.TryEmbed(model.Tokenizer.Tokenize(ProbeText, parseSpecial: false), cancellationToken)
            ?? throw new ModelLoadException(model.Name, "probe_refused", "The scheduler refused the health-check embedding.");
        float[] vector;
        try
        {
            vector = await task;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new ModelLoadException(model.Name, "probe_failed", $"The health-check embedding failed: {ex.Message}");
        }

        if (EmbeddingProblem(vector, model.EmbeddingSize) is { } problem)
        {
            throw new ModelLoadException(model.Name, "probe_failed", $"The health-check embedding {problem}.");
        }
    }

    /// <summary>What is wrong with an embedding that should have <paramref name="size"/> values; null when nothing is.</summary>
    internal static string? EmbeddingProblem(float[] vector, int size) =>
        vector.Length != size ? $"has {vector.Length} values instead of {size}"
        : !vector.All(float.IsFinite) ? "has values that are not finite"
        : vector.All(v => v == 0) ? "is all zeros"
        : null;
}
