using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Retrieval;

/// <summary>Settings of local retrieval: the document store, ingestion limits and search (section <c>Retrieval</c>).</summary>
public sealed class RetrievalOptions : IValidatableObject
{
    public const string SectionName = "Retrieval";

    /// <summary>The SQLite file of collections, documents, chunks, vectors and the full-text index, normally <c>&lt;data-dir&gt;/retrieval.db</c>.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>Model that embeds chunks and queries; null means the first model with the role <c>embedding</c>, else the default (first chat) model. A collection remembers the model it was built with.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>
    /// Largest document accepted, in bytes (before text extraction). Default 8 MiB: room for a .docx with pictures,
    /// while the queue's uploaded bytes (up to <see cref="MaxPendingIngests"/> of them) stay bounded on disk.
    /// </summary>
    [Range(1, 1L << 32)]
    public long MaxDocumentBytes { get; set; } = 8L << 20;

    /// <summary>Largest upload request (all its documents together), in bytes. Default 64 MiB.</summary>
    [Range(1, 1L << 34)]
    public long MaxUploadBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Largest extracted text of one document, in characters, checked at upload before the text is chunked; also
    /// protects against formats that expand (docx). Default 1 million (a manual of some 300 pages).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxDocumentCharacters { get; set; } = 1_000_000;

    /// <summary>
    /// Most chunks one document may produce, checked at upload. Default 2000: on a two-core device a small embedding
    /// model embeds some 10 chunks a second, so the largest document takes a few minutes, not the quarter-hour
    /// that one of 7,667 chunks did. Larger documents are refused with 413 <c>document_too_large</c>: split them.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxChunksPerDocument { get; set; } = 2_000;

    /// <summary>Largest chunk, in embedding-model tokens. Default 256.</summary>
    [Range(16, 8192)]
    public int ChunkTokens { get; set; } = 256;

    /// <summary>Tokens repeated between consecutive chunks of one section. Default 32.</summary>
    [Range(0, 4096)]
    public int ChunkOverlapTokens { get; set; } = 32;

    /// <summary>
    /// Chunks embedded per request to the embedding model, and the slice of a job done before the worker turns to
    /// another tenant's job. Default 16.
    /// </summary>
    [Range(1, 1024)]
    public int EmbeddingBatchSize { get; set; } = 16;

    /// <summary>Collections one tenant may own. Default 100.</summary>
    [Range(1, 100_000)]
    public int MaxCollectionsPerTenant { get; set; } = 100;

    /// <summary>Ingest jobs waiting or running at once, over all tenants; more are refused with 429. Default 64.</summary>
    [Range(1, 100_000)]
    public int MaxPendingIngests { get; set; } = 64;

    /// <summary>
    /// Ingest jobs one tenant may have waiting or running at once; more are refused with 429, so one tenant's flood
    /// leaves room in the queue for the others. Default 32 (half the queue).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPendingIngestsPerTenant { get; set; } = 32;

    /// <summary>
    /// How often ingestion tries again while the disk is full: it waits, keeping its work, and resumes by itself once
    /// there is space. Default 10 s.
    /// </summary>
    public TimeSpan DiskFullRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Results a search or a retrieval-augmented chat returns when the request names no <c>top_k</c>. Default 4.</summary>
    [Range(1, 100)]
    public int DefaultTopK { get; set; } = 4;

    /// <summary>Largest <c>top_k</c> a request may ask for. Default 50.</summary>
    [Range(1, 1000)]
    public int MaxTopK { get; set; } = 50;

    /// <summary>Collections with at least this many chunks are searched through the approximate vector index instead of an exact scan. Default 20000.</summary>
    [Range(1, int.MaxValue)]
    public int ApproximateIndexThreshold { get; set; } = 20_000;

    /// <summary>
    /// Share of the approximate index's lists searched per query: higher finds more of the true nearest
    /// neighbours on embeddings that cluster poorly, at proportionally more time. Default 0.05.
    /// </summary>
    [Range(0.001, 1.0)]
    public double ApproximateIndexProbedShare { get; set; } = 0.05;

    /// <summary>Characters of the retrieved chunks put into a chat prompt, over all of them. Default 6000.</summary>
    [Range(100, 1_000_000)]
    public int MaxContextCharacters { get; set; } = 6_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            yield return new ValidationResult("Retrieval:DatabasePath is required.", [nameof(DatabasePath)]);
        }

        if (ChunkOverlapTokens >= ChunkTokens / 2)
        {
            yield return new ValidationResult("Retrieval:ChunkOverlapTokens must be less than half of Retrieval:ChunkTokens.", [nameof(ChunkOverlapTokens)]);
        }

        if (DiskFullRetryInterval < TimeSpan.FromMilliseconds(100) || DiskFullRetryInterval > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Retrieval:DiskFullRetryInterval must be between 100 ms and 10 minutes.", [nameof(DiskFullRetryInterval)]);
        }

        if (MaxPendingIngestsPerTenant > MaxPendingIngests)
        {
            yield return new ValidationResult("Retrieval:MaxPendingIngestsPerTenant cannot exceed Retrieval:MaxPendingIngests.", [nameof(MaxPendingIngestsPerTenant)]);
        }

        if (DefaultTopK > MaxTopK)
        {
            yield return new ValidationResult("Retrieval:DefaultTopK cannot exceed Retrieval:MaxTopK.", [nameof(DefaultTopK)]);
        }
    }
}
