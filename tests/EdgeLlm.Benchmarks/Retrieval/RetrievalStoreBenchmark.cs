using System.Diagnostics;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Inference.Models;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// The retrieval store's own speed, in one run: ingestion throughput (the whole pipeline with a free embedder
/// against bare SQLite inserts of the same chunks; then with the real model), and hybrid search latency on a
/// large collection against FTS5's bare query.
/// </summary>
internal static class RetrievalStoreBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var chunks = args is ["--chunks", var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        using var directory = new BenchmarkDirectory();
        Console.WriteLine($"retrieval store benchmark in {directory.Path}");

        var options = Options.Create(new RetrievalOptions { DatabasePath = directory.File("ingest.db"), MaxPendingIngests = 100_000, MaxPendingIngestsPerTenant = 100_000 });
        var documents = Enumerable.Range(0, 60).Select(i => SyntheticDocuments.Manual(i)).ToList();
        await ForeignCpuLoad.WaitForQuietAsync(CancellationToken.None);
        var bare = IngestBaseline.Measure(directory.File("bare.db"), documents, new WordCounter());
        var cheap = await MeasureIngestAsync(options, documents, new CheapEmbeddings(384), new WordCounter());
        Console.WriteLine($"ingest: bare SQLite {bare:F0} chunks/s; pipeline with a free embedder {cheap:F0} chunks/s = {cheap / bare:F2}x");

        var (real, realCounter, stop) = await StartModelEmbeddingsAsync();
        var modelOptions = Options.Create(new RetrievalOptions { DatabasePath = directory.File("model.db"), MaxPendingIngests = 100_000, MaxPendingIngestsPerTenant = 100_000 });
        var withModel = await MeasureIngestAsync(modelOptions, documents.Take(6).ToList(), real, realCounter);
        await stop();
        Console.WriteLine($"ingest with stories260K embeddings: {withModel:F1} chunks/s = {withModel / cheap:F3}x the free embedder");

        var search = await HybridSearchBenchmark.RunAsync(directory.File("search.db"), chunks);
        RetrievalStoreReport.Print(bare, cheap, withModel, search);
        return 0;
    }

    private static async Task<double> MeasureIngestAsync(IOptions<RetrievalOptions> options, IReadOnlyList<byte[]> documents, IEmbeddingGenerator<string, Embedding<float>> embeddings, ITokenCounter counter)
    {
        var database = new RetrievalDatabase(options);
        var collections = new CollectionStore(database, options, TimeProvider.System);
        var store = new DocumentStore(database, TimeProvider.System);
        var jobs = new IngestJobStore(database, options, TimeProvider.System);
        var indexes = new VectorIndexCache(database, new EdgeLlm.Retrieval.Vectors.VectorIndexFactory(new EdgeLlm.Retrieval.Vectors.VectorIndexOptions()));
        var ingestor = new DocumentIngestor(collections, store, jobs, indexes, embeddings, counter, options, NullLogger<DocumentIngestor>.Instance);
        var collection = ((CreateCollectionResult.Created)await new CollectionCreator(collections, embeddings).CreateAsync("bench", "bench", null, CancellationToken.None)).Collection;
        await jobs.EnqueueAsync("bench", [.. documents.Select((d, i) => new IngestRequest(collection.Id, $"doc{i}", $"doc{i}.md", "text/markdown", null, null, [], d))], CancellationToken.None);

        var stopwatch = Stopwatch.StartNew();
        while (await jobs.TakeNextAsync(CancellationToken.None) is { } next)
        {
            await ingestor.RunAsync(next.Job, next.Content, CancellationToken.None);
        }

        stopwatch.Stop();
        var stored = collections.Count(collection.Id).Chunks;
        SqliteConnection.ClearAllPools();
        return stored / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(IEmbeddingGenerator<string, Embedding<float>>, ITokenCounter, Func<Task>)> StartModelEmbeddingsAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddEdgeLlmInference(o => o.Models = [new ModelOptions { Path = TestModels.Stories260K }]);
        var host = builder.Build();
        await host.StartAsync();
        var registry = host.Services.GetRequiredService<ModelRegistry>();
        await registry.Ready.WaitAsync(TimeSpan.FromMinutes(2));
        var generator = new ModelEmbeddingGenerator(registry, host.Services.GetRequiredService<ModelResidency>(), null);
        return (generator, new ModelCounter(generator), async () =>
        {
            await host.StopAsync();
            host.Dispose();
        });
    }

    private sealed class ModelCounter(ModelEmbeddingGenerator generator) : ITokenCounter
    {
        public int CountTokens(string text) => generator.CountTokens(text);
    }
}
