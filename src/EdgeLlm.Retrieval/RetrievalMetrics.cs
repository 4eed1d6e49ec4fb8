using System.Diagnostics.Metrics;
using EdgeLlm.Retrieval.Search;

namespace EdgeLlm.Retrieval;

/// <summary>Retrieval's instruments (meter <c>EdgeLlm.Retrieval</c>): ingest and search counts and latency.</summary>
internal static class RetrievalMetrics
{
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private static readonly Meter Meter = new("EdgeLlm.Retrieval");
    private static readonly Histogram<double> SearchDuration = Meter.CreateHistogram("edgellm.retrieval.search.duration", "s", "Time of one search (embedding the query included), by mode; its count is the number of searches.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    private static readonly Histogram<double> IngestDuration = Meter.CreateHistogram("edgellm.retrieval.ingest.duration", "s", "Time of one finished ingest job, by outcome; its count is the number of jobs.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    private static readonly Counter<long> IngestedChunks = Meter.CreateCounter<long>("edgellm.retrieval.ingested_chunks", "{chunk}", "Chunks embedded and stored.");

    public static void Searched(SearchMode mode, TimeSpan duration) =>
        SearchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("mode", mode.ToString().ToLowerInvariant()));

    public static void Ingested(string outcome, int chunks, TimeSpan duration)
    {
        IngestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        IngestedChunks.Add(chunks);
    }
}
