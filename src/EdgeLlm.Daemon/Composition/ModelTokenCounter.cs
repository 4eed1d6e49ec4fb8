using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Retrieval.Ingestion;

namespace EdgeLlm.Daemon.Composition;

/// <summary>Retrieval's token counter over the embedding model's own tokenizer, so chunks fit that model.</summary>
internal sealed class ModelTokenCounter(ModelEmbeddingGenerator generator) : ITokenCounter
{
    public int CountTokens(string text) => generator.CountTokens(text);
}
