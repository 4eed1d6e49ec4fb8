using System.Diagnostics;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>Search latency by mode on one large collection, with the bare FTS5 query and the bare index search as baselines.</summary>
internal static class HybridSearchBenchmark
{
    private const int Dimensions = 384;
    private const int ChunksPerDocument = 100;
    private const int Queries = 200;
    private const int Candidates = 40;

    public static async Task<HybridSearchResult> RunAsync(string path, int chunks)
    {
        var options = Options.Create(new RetrievalOptions { DatabasePath = path });
        var database = new RetrievalDatabase(options);
        var collections = new CollectionStore(database, options, TimeProvider.System);
        var documents = new DocumentStore(database, TimeProvider.System);
        var collection = ((CreateCollectionResult.Created)await collections.CreateAsync("bench", "search", null, "synthetic", Dimensions, CancellationToken.None)).Collection;
        var data = ClusteredVectors.Generate(chunks, Dimensions, 1000, Queries, 7);
        var corpus = new SyntheticCorpus(7);
        var fill = Stopwatch.StartNew();
        for (var start = 0; start < chunks; start += ChunksPerDocument)
        {
            var batch = Enumerable.Range(start, Math.Min(ChunksPerDocument, chunks - start))
                .Select(i => new ChunkToStore(i - start, corpus.Paragraph(60), "", 0, 0, 60, data.Vector(i).ToArray())).ToList();
            var info = new DocumentInfo(collection.Id, $"doc{start / ChunksPerDocument}", null, $"source{start % 7}", "text/plain", [], 0, "", 0, default, default);
            await documents.ReplaceAsync(info, batch, CancellationToken.None);
        }

        Console.WriteLine($"search: {chunks:N0} chunks stored in {fill.Elapsed.TotalSeconds:F0} s; building the index ...");
        var queries = Enumerable.Range(0, Queries).Select(i => (Text: corpus.Query(), Vector: data.Query(i).ToArray())).ToList();
        var indexes = new VectorIndexCache(database, new VectorIndexFactory(new VectorIndexOptions()));
        var index = indexes.For(collections.Find("bench", collection.Id)!);
        var searcher = new HybridSearcher(database, indexes, new QueryEmbeddings(queries.ToDictionary(q => q.Text, q => q.Vector)));
        await ForeignCpuLoad.WaitForQuietAsync(CancellationToken.None);

        var bareKeyword = Time(queries, q => BareKeyword(database, q.Text));
        var bareVector = Time(queries, q => index.Search(q.Vector, Candidates));
        var keyword = await TimeAsync(queries, q => searcher.SearchAsync(collection, new SearchQuery(q.Text, 10, Mode: SearchMode.Keyword), CancellationToken.None));
        var vector = await TimeAsync(queries, q => searcher.SearchAsync(collection, new SearchQuery(q.Text, 10, Mode: SearchMode.Vector), CancellationToken.None));
        var hybrid = await TimeAsync(queries, q => searcher.SearchAsync(collection, new SearchQuery(q.Text, 10), CancellationToken.None));
        return new HybridSearchResult(chunks, bareKeyword, bareVector, keyword, vector, hybrid);
    }

    private static object BareKeyword(RetrievalDatabase database, string text)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH $q ORDER BY rank LIMIT $n";
        command.Parameters.AddWithValue("$q", KeywordSearch.MatchExpression(text));
        command.Parameters.AddWithValue("$n", Candidates);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    private static Latency Time<T>(List<(string Text, float[] Vector)> queries, Func<(string Text, float[] Vector), T> run)
    {
        var times = new List<double>();
        foreach (var query in queries)
        {
            var stopwatch = Stopwatch.StartNew();
            _ = run(query);
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        return new Latency(Percentiles.Median(times), Percentiles.Of(times, 99));
    }

    private static async Task<Latency> TimeAsync<T>(List<(string Text, float[] Vector)> queries, Func<(string Text, float[] Vector), Task<T>> run)
    {
        var times = new List<double>();
        foreach (var query in queries)
        {
            var stopwatch = Stopwatch.StartNew();
            _ = await run(query);
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        return new Latency(Percentiles.Median(times), Percentiles.Of(times, 99));
    }

    /// <summary>Hands the searcher each query's precomputed vector, so no model time is measured.</summary>
    private sealed class QueryEmbeddings(Dictionary<string, float[]> vectors) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(vectors[v]))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

internal readonly record struct Latency(double P50, double P99);

internal sealed record HybridSearchResult(int Chunks, Latency BareKeyword, Latency BareVector, Latency Keyword, Latency Vector, Latency Hybrid);
