using EdgeLlm.Inference.Models;
using Microsoft.Extensions.AI;

namespace EdgeLlm.Inference.Embeddings;

/// <summary>
/// A served model as a .NET AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: pooled, L2-normalised
/// vectors computed on the model's scheduler loop between decode steps, the model loaded first when it is an
/// on-demand one out of memory. This is the seam other parts (retrieval) embed through without knowing about LLamaSharp.
/// </summary>
public sealed class ModelEmbeddingGenerator(ModelRegistry registry, ModelResidency residency, string? modelName) : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        // During start-up (models still loading) callers wait rather than fail.
        await registry.Ready.WaitAsync(cancellationToken);
        using var lease = await AcquireAsync(cancellationToken);
        var model = lease.Model;
        var results = new GeneratedEmbeddings<Embedding<float>>();
        var tokens = 0;
        foreach (var value in values)
        {
            var input = model.Tokenizer.Tokenize(value, parseSpecial: false);
            if (input.Length > model.ContextSize)
            {
                throw new EmbeddingUnavailableException($"A text of {input.Length} tokens is longer than the context of embedding model '{model.Name}' ({model.ContextSize}).", queueFull: false) { TextTooLong = true };
            }

            var task = model.Scheduler.TryEmbed(input, cancellationToken)
                ?? throw new EmbeddingUnavailableException($"The embedding queue of model '{model.Name}' is full.", queueFull: true);
            results.Add(new Embedding<float>(await task) { ModelId = model.Name, CreatedAt = DateTimeOffset.UtcNow });
            tokens += input.Length;
        }

        results.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return results;
    }

    /// <summary>Tokens the model counts in <paramref name="text"/>, for sizing chunks to it.</summary>
    /// <remarks>Blocks while an on-demand model loads: chunking runs on the ingestion worker, never on a request thread.</remarks>
    public int CountTokens(string text)
    {
        using var lease = AcquireAsync(CancellationToken.None).GetAwaiter().GetResult();
        return lease.Model.Tokenizer.Tokenize(text, parseSpecial: false).Length;
    }

    /// <summary>The configured model; unset, the first embedding model, else the default (first chat) model.</summary>
    private string? ModelName => modelName ?? registry.Slots.FirstOrDefault(s => s.Settings.Role == ModelRole.Embedding)?.Name;

    private async Task<ModelLease> AcquireAsync(CancellationToken cancellationToken) => await residency.AcquireAsync(ModelName, cancellationToken) switch
    {
        ModelAcquisition.Ready ready => ready.Lease,
        ModelAcquisition.NotReady notReady => throw new EmbeddingUnavailableException(notReady.Message, queueFull: true),
        _ => throw new EmbeddingUnavailableException($"Embedding model '{ModelName ?? "(default)"}' is not served."),
    };

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            var model = registry.Find(ModelName);
            return new EmbeddingGeneratorMetadata("edgellm", null, registry.FindSlot(ModelName)?.Name ?? ModelName, model?.EmbeddingSize);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The registry owns the models.
    }
}

/// <summary>An embedding could not be computed: the model is not loaded, the text is too long, or the queue is full (retry later).</summary>
public sealed class EmbeddingUnavailableException : Exception
{
    public EmbeddingUnavailableException()
    {
    }

    public EmbeddingUnavailableException(string message)
        : base(message)
    {
    }

    public EmbeddingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmbeddingUnavailableException(string message, bool queueFull)
        : base(message)
    {
        QueueFull = queueFull;
    }

    /// <summary>True when retrying later can succeed.</summary>
    public bool QueueFull { get; }

    /// <summary>True when the text itself is longer than the model's context: the caller's input, never worth a retry.</summary>
    public bool TextTooLong { get; init; }
}
