using System.Collections.Concurrent;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Inference.Models;
using EdgeLlm.Routing.Classification;

namespace EdgeLlm.Api.Endpoints;

/// <summary>
/// The router's classifiers embed through the served models' embedding generator: the same pooled, unit vectors
/// <c>/v1/embeddings</c> answers. Waits while the models load (an on-demand one is loaded); a model that cannot embed now gives no vector.
/// </summary>
internal sealed class ModelPromptEmbedder(ModelRegistry registry, ModelResidency residency) : IPromptEmbedder
{
    private readonly ConcurrentDictionary<string, ModelEmbeddingGenerator> _generators = new(StringComparer.Ordinal);

    public async Task<float[]?> EmbedAsync(string model, string text, CancellationToken cancellationToken)
    {
        var generator = _generators.GetOrAdd(model, name => new ModelEmbeddingGenerator(registry, residency, name));
        try
        {
            var embeddings = await generator.GenerateAsync([text], cancellationToken: cancellationToken);
            return embeddings[0].Vector.ToArray();
        }
        catch (EmbeddingUnavailableException)
        {
            // Not loaded, queue full or text too long: the classifier does not match, the next rule decides.
            return null;
        }
    }
}
