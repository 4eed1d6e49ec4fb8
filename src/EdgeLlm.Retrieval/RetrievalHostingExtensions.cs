using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval;

public static class RetrievalHostingExtensions
{
    /// <summary>
    /// Registers local retrieval: options (validated at start-up), the SQLite store, the in-memory vector
    /// indexes, hybrid search and the ingest worker. The host provides the embedding model as an
    /// <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> and its tokenizer as an <see cref="ITokenCounter"/>.
    /// </summary>
    public static IServiceCollection AddEdgeLlmRetrieval(this IServiceCollection services, Action<RetrievalOptions>? configure = null)
    {
        var builder = services.AddOptions<RetrievalOptions>()
            .BindConfiguration(RetrievalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RetrievalDatabase>();
        services.AddSingleton<CollectionStore>();
        services.AddSingleton<CollectionCreator>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<IngestJobStore>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<RunningIngests>();
        services.AddSingleton<DocumentIngestor>();
        services.AddSingleton<HybridSearcher>();
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            return new VectorIndexFactory(new VectorIndexOptions { ApproximateFrom = settings.ApproximateIndexThreshold, ProbedShare = settings.ApproximateIndexProbedShare });
        });
        services.AddSingleton<VectorIndexCache>();
        services.AddHostedService<IngestWorker>();
        return services;
    }
}
