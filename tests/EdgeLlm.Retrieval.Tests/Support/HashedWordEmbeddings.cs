using System.Text;
using Microsoft.Extensions.AI;

namespace EdgeLlm.Retrieval.Tests.Support;

/// <summary>
/// An embedding model for tests that means something without a model file: each word (lower-cased,
/// common words left out) is hashed into one of <see cref="Dimensions"/> buckets, and the counts are
/// normalised. Texts that share words point the same way, so vector search ranks by word overlap,
/// deterministically. Counts its calls and the texts it embedded.
/// </summary>
internal sealed class HashedWordEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 256;

    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "was", "with", "what", "which", "who", "how", "many", "much", "does", "did",
        "can", "could", "this", "that", "from", "have", "has", "not", "any", "all", "its", "into", "when", "until",
        "there", "their", "our", "your", "you", "one", "per", "need", "needs", "since", "over", "under", "after",
    };

    public int Calls { get; private set; }

    public int TextsEmbedded { get; private set; }

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in Words(text))
        {
            var hash = Fnv1a(word);
            vector[(int)(hash % Dimensions)] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm == 0)
        {
            // No content word: a fixed direction, since a zero vector cannot be normalised.
            vector[0] = 1;
            return vector;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            TextsEmbedded++;
            result.Add(new Embedding<float>(Embed(value)));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("tests", null, "hashed-words", Dimensions) : null;

    public void Dispose()
    {
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length >= 3 && !CommonWords.Contains(word.ToString()))
            {
                yield return word.ToString();
            }

            word.Clear();
        }
    }

    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
