namespace EdgeLlm.Benchmarks.Retrieval;

/// <summary>The store benchmark's table: each figure beside its same-run baseline.</summary>
internal static class RetrievalStoreReport
{
    public static void Print(double bareChunksPerSecond, double pipelineChunksPerSecond, double modelChunksPerSecond, HybridSearchResult search)
    {
        Console.WriteLine();
        Console.WriteLine("| measure | result | baseline (same run) | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| ingest, free embedder (parse, chunk, SQLite + FTS5 + index) | {pipelineChunksPerSecond:F0} chunks/s | bare SQLite inserts {bareChunksPerSecond:F0} chunks/s | {pipelineChunksPerSecond / bareChunksPerSecond:F2}x |");
        Console.WriteLine($"| ingest, stories260K embeddings | {modelChunksPerSecond:F1} chunks/s | free embedder {pipelineChunksPerSecond:F0} chunks/s | {modelChunksPerSecond / pipelineChunksPerSecond:F3}x |");
        Row($"keyword search (BM25), {search.Chunks:N0} chunks", search.Keyword, "bare FTS5 MATCH", search.BareKeyword);
        Row($"vector search, {search.Chunks:N0} chunks", search.Vector, "bare index search", search.BareVector);
        Row($"hybrid search, {search.Chunks:N0} chunks", search.Hybrid, "bare FTS5 + bare index", new Latency(search.BareKeyword.P50 + search.BareVector.P50, search.BareKeyword.P99 + search.BareVector.P99));
    }

    private static void Row(string name, Latency measured, string baselineName, Latency baseline) =>
        Console.WriteLine($"| {name} | p50 {measured.P50:F2} ms, p99 {measured.P99:F2} ms | {baselineName}: p50 {baseline.P50:F2} ms, p99 {baseline.P99:F2} ms | {measured.P50 / baseline.P50:F2}x |");
}
