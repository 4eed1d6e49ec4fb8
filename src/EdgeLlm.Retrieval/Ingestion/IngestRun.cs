using System.Diagnostics;
using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// One ingest job the worker holds: its checked chunks and the vectors embedded so far. The worker advances
/// it a slice at a time (<see cref="DocumentIngestor.StepAsync"/>), so jobs of other tenants take turns with it.
/// </summary>
public sealed class IngestRun
{
    internal IngestRun(IngestJob job, byte[] content, CollectionInfo collection, DocumentCheck.Accepted accepted, CancellationTokenSource cancellation)
    {
        Job = job;

        // The bytes themselves are not kept while the job waits for its turns: only what the document row needs.
        Bytes = content.Length;
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        Collection = collection;
        Accepted = accepted;
        Cancellation = cancellation;
        Vectors = new float[accepted.Chunks.Count][];
    }

    public IngestJob Job { get; }

    internal long Bytes { get; }

    internal string Sha256 { get; }

    internal CollectionInfo Collection { get; }

    internal DocumentCheck.Accepted Accepted { get; }

    /// <summary>Cancelled when the job's document or collection is deleted.</summary>
    internal CancellationTokenSource Cancellation { get; }

    internal float[][] Vectors { get; }

    /// <summary>Chunks embedded so far; the next slice starts here.</summary>
    internal int Embedded { get; set; }

    internal bool FullyEmbedded => Embedded == Vectors.Length;

    internal Stopwatch Elapsed { get; } = Stopwatch.StartNew();

    internal Stopwatch SinceProgress { get; } = Stopwatch.StartNew();
}
