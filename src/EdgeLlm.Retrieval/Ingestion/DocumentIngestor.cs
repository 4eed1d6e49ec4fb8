using System.Diagnostics;
using System.Security.Cryptography;
using EdgeLlm.Retrieval.Ingestion.Chunking;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// Turns a document's bytes into stored chunks: parse, chunk to the embedding model's token budget, embed in
/// batches (reporting progress), then write the document and all its chunks in one transaction and update
/// the in-memory index. <see cref="Check"/> runs the cheap first half at upload time, so a bad document is
/// refused before it is acknowledged.
/// </summary>
public sealed class DocumentIngestor(
    CollectionStore collections,
    DocumentStore documents,
    IngestJobStore jobs,
    VectorIndexCache indexes,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    ITokenCounter tokens,
    IOptions<RetrievalOptions> options,
    ILogger<DocumentIngestor> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private readonly DocumentParsers _parsers = new(new DocumentParsingLimits { MaxDocumentBytes = options.Value.MaxDocumentBytes });
    private readonly DocumentChunker _chunker = new(tokens, new DocumentChunkerOptions
    {
        MaxTokens = options.Value.ChunkTokens,
        OverlapTokens = options.Value.ChunkOverlapTokens,
        MinTokens = Math.Min(48, options.Value.ChunkTokens / 2),
    });

    /// <summary>Parses and chunks the document: the chunks, or why the document is refused.</summary>
    public DocumentCheck Check(byte[] content, string? contentType, string? fileName)
    {
        var settings = options.Value;
        switch (_parsers.Parse(content, contentType, fileName))
        {
            case DocumentParseResult.UnsupportedMediaType unsupported:
                return new DocumentCheck.Refused(415, "unsupported_media_type", unsupported.Message);
            case DocumentParseResult.Rejected rejected:
                return new DocumentCheck.Refused(rejected.Reason == DocumentRejection.TooLarge ? 413 : 422, rejected.Code, rejected.Message);
            case DocumentParseResult.Parsed parsed when parsed.Document.Text.Length > settings.MaxDocumentCharacters:
                return new DocumentCheck.Refused(413, "document_too_large", $"The document's text is longer than Retrieval:MaxDocumentCharacters ({settings.MaxDocumentCharacters}).");
            case DocumentParseResult.Parsed parsed:
                var chunks = _chunker.Chunk(parsed.Document);
                if (chunks.Count == 0)
                {
                    return new DocumentCheck.Refused(422, "document_empty", "The document holds no text to index.");
                }

                return chunks.Count > settings.MaxChunksPerDocument
                    ? new DocumentCheck.Refused(413, "document_too_large", $"The document makes {chunks.Count} chunks, more than Retrieval:MaxChunksPerDocument ({settings.MaxChunksPerDocument}).")
                    : new DocumentCheck.Accepted(parsed.Document, MediaType(parsed.Type), chunks);
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>Runs one job to its end; transient embedding trouble asks to be retried instead of failing it.</summary>
    public async Task<IngestOutcome> RunAsync(IngestJob job, byte[] content, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var collection = collections.Find(job.Tenant, job.CollectionId);
        if (collection is null)
        {
            await jobs.FinishAsync(job.Id, "collection_not_found", "The collection was deleted.", cancellationToken);
            return IngestOutcome.Failed;
        }

        DocumentCheck check;
        try
        {
            // Chunking counts tokens with the embedding model's tokenizer, which is not there while it loads.
            check = Check(content, job.ContentType, job.FileName);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            RetrievalLog.EmbeddingRetry(logger, job.Id, ex);
            return IngestOutcome.RetryLater;
        }

        if (check is DocumentCheck.Refused refused)
        {
            RetrievalLog.DocumentRefused(logger, job.Id, job.DocumentId, refused.Code, refused.Message);
            await jobs.FinishAsync(job.Id, refused.Code, refused.Message, cancellationToken);
            RetrievalMetrics.Ingested("refused", 0, stopwatch.Elapsed);
            return IngestOutcome.Failed;
        }

        var accepted = (DocumentCheck.Accepted)check;
        float[][] vectors;
        try
        {
            vectors = await EmbedAsync(job.Id, accepted.Chunks, collection.Dimensions, cancellationToken);
        }
        catch (RetrievalException ex)
        {
            await jobs.FinishAsync(job.Id, ex.Code, ex.Message, cancellationToken);
            return IngestOutcome.Failed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RetrievalLog.EmbeddingRetry(logger, job.Id, ex);
            return IngestOutcome.RetryLater;
        }

        var toStore = accepted.Chunks.Select((c, i) => new ChunkToStore(c.Ordinal, c.Text, string.Join(" > ", c.HeadingPath), c.Start, c.End, c.TokenCount, vectors[i])).ToList();
        var document = new DocumentInfo(collection.Id, job.DocumentId, job.Title ?? accepted.Document.Title, job.Source ?? job.FileName, accepted.MediaType, job.Tags,
            content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), toStore.Count, default, default);
        var write = await documents.ReplaceAsync(document, toStore, cancellationToken, finishedJobId: job.Id);
        indexes.Apply(collection, write, toStore);
        RetrievalLog.DocumentIngested(logger, job.DocumentId, collection.Id, toStore.Count, stopwatch.ElapsedMilliseconds);
        RetrievalMetrics.Ingested("succeeded", toStore.Count, stopwatch.Elapsed);
        return IngestOutcome.Succeeded;
    }

    private async Task<float[][]> EmbedAsync(string jobId, IReadOnlyList<DocumentChunk> chunks, int dimensions, CancellationToken cancellationToken)
    {
        var vectors = new float[chunks.Count][];
        var batch = options.Value.EmbeddingBatchSize;
        var reported = Stopwatch.StartNew();
        jobs.ReportTotal(jobId, chunks.Count);
        for (var start = 0; start < chunks.Count; start += batch)
        {
            var texts = chunks.Skip(start).Take(batch).Select(c => c.Text).ToList();
            var generated = await embeddings.GenerateAsync(texts, cancellationToken: cancellationToken);
            for (var i = 0; i < texts.Count; i++)
            {
                var vector = generated[i].Vector.ToArray();
                if (vector.Length != dimensions)
                {
                    throw new RetrievalException(RetrievalErrors.EmbeddingModelChanged,
                        $"The embedding model now gives {vector.Length} dimensions; this collection was built with {dimensions}.");
                }

                vectors[start + i] = vector;
            }

            // Once a second is plenty for someone watching, and keeps the writes off the hot path.
            if (reported.Elapsed >= ProgressInterval)
            {
                jobs.ReportProgress(jobId, chunks.Count, Math.Min(start + batch, chunks.Count));
                reported.Restart();
            }
        }

        return vectors;
    }

    private static string MediaType(DocumentType type) => type switch
    {
        DocumentType.Markdown => "text/markdown",
        DocumentType.Html => "text/html",
        DocumentType.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "text/plain",
    };
}

/// <summary>Whether a document can be ingested: its parsed text and chunks, or the status, code and reason it is refused with.</summary>
public abstract record DocumentCheck
{
    public sealed record Accepted(ParsedDocument Document, string MediaType, IReadOnlyList<DocumentChunk> Chunks) : DocumentCheck;

    public sealed record Refused(int Status, string Code, string Message) : DocumentCheck;
}
