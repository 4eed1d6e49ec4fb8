using System.Diagnostics;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>
/// Vector search at several collection sizes, in one run: the exact scan against the index the factory
/// gives with default options, on the same queries. The exact scan's top 10 are the truth recall is
/// measured against. Single-threaded queries, one after another, as one request would see them.
/// </summary>
internal static class RetrievalVectorBenchmark
{
    private const int K = 10;
    private const int IndexRounds = 5;
    private const int Seed = 20_240_604;

    public static async Task<int> RunAsync(string[] args)
    {
        RetrievalVectorSettings settings;
        try
        {
            if (args is ["--help"] or ["-h"])
            {
                Console.WriteLine(RetrievalVectorSettings.Usage);
                return 0;
            }

            settings = RetrievalVectorSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(RetrievalVectorSettings.Usage);
            return 2;
        }

        RetrievalVectorReport.PrintHeader(settings);
        var results = new List<VectorSizeResult>();
        foreach (var size in settings.Sizes)
        {
            var generation = Stopwatch.StartNew();
            var data = ClusteredVectors.Generate(size, settings.Dimensions, settings.Clusters, settings.Queries, Seed);
            Console.WriteLine($"{size:N0} vectors generated in {generation.Elapsed.TotalSeconds:F1} s; measuring ...");
            await ForeignCpuLoad.WaitForQuietAsync(CancellationToken.None);
            results.Add(Measure(data));
            RetrievalVectorReport.PrintProgress(results[^1]);
        }

        RetrievalVectorReport.PrintTable(results);
        return 0;
    }

    // Each phase is its own method so that its index is garbage once it returns: at a million vectors one
    // index holds about 2 GB, and the next phase should not have to share the memory with it.
    private static VectorSizeResult Measure(ClusteredVectors data)
    {
        var others = ForeignCpuLoad.Start();
        var exact = MeasureExact(data);
        var options = new VectorIndexOptions();
        var index = MeasureIndex(data, options);
        var startUp = index.State is { } state ? MeasureStartUp(data, options, state, index.Ids) : null;
        return new VectorSizeResult(
            data.Count, exact.Times, index.Times, Recall(index.Ids, exact.Ids), exact.Load.Elapsed, index.Load.Elapsed, startUp,
            exact.Load.Bytes, index.Load.Bytes, index.Mode, others.Share());
    }

    private static (SearchTimes Times, long[][] Ids, LoadCost Load) MeasureExact(ClusteredVectors data)
    {
        var (exact, load) = Load(new VectorIndexFactory(new VectorIndexOptions { ApproximateFrom = 0 }), data, savedState: default);
        var (times, ids) = Time(exact, data, rounds: 1);
        return (times, ids, load);
    }

    private static (SearchTimes Times, long[][] Ids, LoadCost Load, string Mode, byte[]? State) MeasureIndex(ClusteredVectors data, VectorIndexOptions options)
    {
        var (index, load) = Load(new VectorIndexFactory(options), data, savedState: default);
        var (times, ids) = Time(index, data, IndexRounds);
        var ivf = (IvfVectorIndex)index;
        var mode = ivf.TrainedCount > 0
            ? $"IVF, {(int)Math.Round(Math.Sqrt(ivf.TrainedCount))} lists"
            : $"exact (< {options.ApproximateFrom:N0})";
        return (times, ids, load, mode, ivf.ExportState());
    }

    private static StartUp MeasureStartUp(ClusteredVectors data, VectorIndexOptions options, byte[] state, long[][] trainedIds)
    {
        var (restarted, load) = Load(new VectorIndexFactory(options), data, state);
        var (_, ids) = Time(restarted, data, rounds: 1);
        return new StartUp(load.Elapsed, state.Length, ids.Zip(trainedIds).All(pair => pair.First.SequenceEqual(pair.Second)));
    }

    private static (IVectorIndex Index, LoadCost Cost) Load(VectorIndexFactory factory, ClusteredVectors data, byte[]? savedState)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var loader = factory.StartLoading(data.Dimensions, data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            loader.Add(i, data.Vector(i));
        }

        var index = loader.Finish(savedState);
        var elapsed = clock.Elapsed;
        return (index, new LoadCost(elapsed, GC.GetTotalMemory(forceFullCollection: true) - before));
    }

    /// <summary>Per-search latency in milliseconds over all rounds, and each query's ids from the first round.</summary>
    private static (SearchTimes Times, long[][] Ids) Time(IVectorIndex index, ClusteredVectors data, int rounds)
    {
        for (var q = 0; q < Math.Min(10, data.QueryCount); q++)
        {
            index.Search(data.Query(q), K);
        }

        var ids = new long[data.QueryCount][];
        var milliseconds = new List<double>(data.QueryCount * rounds);
        for (var round = 0; round < rounds; round++)
        {
            for (var q = 0; q < data.QueryCount; q++)
            {
                var start = Stopwatch.GetTimestamp();
                var hits = index.Search(data.Query(q), K);
                milliseconds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                ids[q] ??= hits.Select(hit => hit.Id).ToArray();
            }
        }

        return (new SearchTimes(Percentiles.Of(milliseconds, 50), Percentiles.Of(milliseconds, 99)), ids);
    }

    private static double Recall(long[][] found, long[][] truth) =>
        found.Zip(truth).Average(pair => pair.First.Intersect(pair.Second).Count() / (double)pair.Second.Length);
}

internal sealed record SearchTimes(double P50, double P99);

/// <summary>Time to add every vector and build the index, and the managed memory it holds afterwards.</summary>
internal sealed record LoadCost(TimeSpan Elapsed, long Bytes);

/// <param name="Elapsed">Adding every vector and building the index from the saved state.</param>
/// <param name="StateBytes">Size of the saved state.</param>
/// <param name="SameResults">Whether every query returned exactly what the index built by training returned.</param>
internal sealed record StartUp(TimeSpan Elapsed, int StateBytes, bool SameResults);

internal sealed record VectorSizeResult(
    int Count,
    SearchTimes Exact,
    SearchTimes Index,
    double Recall,
    TimeSpan ExactLoad,
    TimeSpan IndexBuild,
    StartUp? StartUp,
    long ExactBytes,
    long IndexBytes,
    string IndexMode,
    double ForeignCpuShare);
