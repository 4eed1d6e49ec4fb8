using EdgeLlm.Retrieval.Ingestion;
using Microsoft.Extensions.AI;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// An embedder that costs almost nothing (a seeded random unit vector per text), so an ingest measured with it
/// shows the store's own cost: parsing, chunking, SQLite, FTS5 and the index.
/// </summary>
internal sealed class CheapEmbeddings(int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            var random = new Random(value.GetHashCode(StringComparison.Ordinal));
            var vector = new float[dimensions];
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(random.NextDouble() - 0.5);
            }

            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            result.Add(new Embedding<float>(vector.Select(v => v / norm).ToArray()));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("benchmark", null, "cheap", dimensions) : null;

    public void Dispose()
    {
    }
}

/// <summary>Words as tokens: close enough to a tokenizer for sizing benchmark chunks.</summary>
internal sealed class WordCounter : ITokenCounter
{
    public int CountTokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
