using Microsoft.Extensions.AI;

namespace EdgeLlm.Retrieval.Store;

/// <summary>Creates collections bound to the embedding model in use now: its name and vector length are recorded with the collection.</summary>
public sealed class CollectionCreator(CollectionStore collections, IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    public async Task<CreateCollectionResult> CreateAsync(string tenant, string name, string? description, CancellationToken cancellationToken)
    {
        var metadata = embeddings.GetService<EmbeddingGeneratorMetadata>();
        var dimensions = metadata?.DefaultModelDimensions;
        if (dimensions is not > 0)
        {
            // The generator does not say: measure it once.
            dimensions = (await embeddings.GenerateAsync(["dimensions"], cancellationToken: cancellationToken))[0].Vector.Length;
        }

        return await collections.CreateAsync(tenant, name, description, metadata?.DefaultModelId ?? "unknown", dimensions.Value, cancellationToken);
    }
}
