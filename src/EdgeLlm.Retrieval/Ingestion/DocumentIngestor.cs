using System.Diagnostics;
using EdgeLlm.Retrieval.Ingestion.Chunking;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// Turns a document's bytes into stored chunks: parse, chunk to the embedding model's token budget, embed one
/// slice of chunks per <see cref="StepAsync"/> (reporting progress), then write the document and all its chunks
/// in one transaction and update the in-memory index. <see cref="Check"/> runs the cheap first half at upload time, so a bad document is
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
    ILogger<DocumentIngestor> logger,
    IDocumentScreen? screen = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private readonly DocumentParsers _parsers = new(new DocumentParsingLimits { MaxDocumentBytes = options.Value.MaxDocumentBytes });
    private readonly DocumentChunker _chunker = new(tokens, new DocumentChunkerOptions
    {
        MaxTokens = options.Value.ChunkTokens,
        OverlapTokens = options.Value.ChunkOverlapTokens,
        MinTokens = Math.Min(48, options.Value.ChunkTokens / 2),
    });

    /// <summary>
    /// Parses, chunks and screens the document (with the guardrail policy of <paramref name="tenant"/>, the
    /// collection's): the chunks, or why the document is refused.
    /// </summary>
    public DocumentCheck Check(byte[] content, string? contentType, string? fileName, string tenant)
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
                var chunks = _chunker.Chunk(parsed.Document, settings.MaxChunksPerDocument);
                if (chunks.Count == 0)
                {
                    return new DocumentCheck.Refused(422, "document_empty", "The document holds no text to index.");
                }

                if (chunks.Count > settings.MaxChunksPerDocument)
                {
                    return new DocumentCheck.Refused(413, "document_too_large", $"The document makes more than Retrieval:MaxChunksPerDocument ({settings.MaxChunksPerDocument}) chunks; split it or raise the limit.");
                }

                return Screened(tenant, parsed.Document, MediaType(parsed.Type), chunks);
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>Runs one job to its end in one go, without taking turns with other jobs (for a caller that is the only writer, e.g. a benchmark).</summary>
    public async Task<IngestOutcome> RunAsync(IngestJob job, byte[] content, CancellationToken cancellationToken)
    {
        using var deletion = new CancellationTokenSource();
        var (outcome, run) = await BeginAsync(job, content, deletion, cancellationToken);
        while (run is not null && outcome == IngestOutcome.Continues)
        {
            outcome = await StepAsync(run, cancellationToken);
        }

        return outcome;
    }

    /// <summary>
    /// Starts a job the worker has taken: checks its collection and document (cheap compared with embedding) and
    /// returns the run to advance with <see cref="StepAsync"/>, or how the job ended already. <paramref name="deletion"/>
    /// is cancelled when the job's document or collection is deleted; <paramref name="stoppingToken"/> when the daemon stops.
    /// </summary>
    public async Task<(IngestOutcome Outcome, IngestRun? Run)> BeginAsync(IngestJob job, byte[] content, CancellationTokenSource deletion, CancellationToken stoppingToken)
    {
        var collection = collections.Find(job.Tenant, job.CollectionId);

        // Deleted between the take and now: the deletion may have missed the job in RunningIngests, so look.
        if (collection is null || jobs.Status(job.Id) != IngestJobStatus.Running)
        {
            RetrievalLog.IngestCancelled(logger, job.Id, job.DocumentId);
            return (IngestOutcome.Cancelled, null);
        }

        DocumentCheck check;
        try
        {
            // Chunking counts tokens with the embedding model's tokenizer, which is not there while it loads.
            check = Check(content, job.ContentType, job.FileName, job.Tenant);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            RetrievalLog.EmbeddingRetry(logger, job.Id, ex);
            return (IngestOutcome.RetryLater, null);
        }

        if (check is DocumentCheck.Refused refused)
        {
            RetrievalLog.DocumentRefused(logger, job.Id, job.DocumentId, refused.Code, refused.Message);
            await jobs.FinishAsync(job.Id, refused.Code, refused.Message, stoppingToken);
            RetrievalMetrics.Ingested("refused", 0, TimeSpan.Zero);
            return (IngestOutcome.Failed, null);
        }

        var run = new IngestRun(job, content, collection, (DocumentCheck.Accepted)check, deletion);
        Advisory(() => jobs.ReportTotal(job.Id, run.Vectors.Length));
        return (IngestOutcome.Continues, run);
    }

    /// <summary>
    /// Embeds the run's next slice (<see cref="RetrievalOptions.EmbeddingBatchSize"/> chunks) and, after the last,
    /// commits the document with all its chunks in one transaction. Transient embedding trouble asks to be retried;
    /// a full disk throws (the worker waits for space and calls again: the vectors are kept, the commit is retried).
    /// Stopping throws <see cref="OperationCanceledException"/>: the job stays running and is requeued at the next start.
    /// </summary>
    public async Task<IngestOutcome> StepAsync(IngestRun run, CancellationToken stoppingToken)
    {
        if (run.Cancellation.IsCancellationRequested)
        {
            return Cancelled(run);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token, stoppingToken);
        var cancellationToken = linked.Token;

        if (!run.FullyEmbedded)
        {
            try
            {
                await EmbedSliceAsync(run, cancellationToken);
            }
            catch (RetrievalException ex)
            {
                await jobs.FinishAsync(run.Job.Id, ex.Code, ex.Message, CancellationToken.None);
                return IngestOutcome.Failed;
            }
            catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
            {
                return Cancelled(run);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                RetrievalLog.EmbeddingRetry(logger, run.Job.Id, ex);
                return IngestOutcome.RetryLater;
            }

            if (!run.FullyEmbedded)
            {
                return IngestOutcome.Continues;
            }
        }

        var job = run.Job;
        var chunks = run.Accepted.Chunks;
        var toStore = chunks.Select((c, i) => new ChunkToStore(c.Ordinal, c.Text, string.Join(" > ", c.HeadingPath), c.Start, c.End, c.TokenCount, run.Vectors[i])).ToList();
        var document = new DocumentInfo(run.Collection.Id, job.DocumentId, job.Title ?? run.Accepted.Document.Title, job.Source ?? job.FileName, run.Accepted.MediaType, job.Tags,
            run.Bytes, run.Sha256, toStore.Count, default, default);
        DocumentWrite? write;
        try
        {
            write = await documents.CommitIngestAsync(job.Id, document, toStore, cancellationToken);
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            return Cancelled(run);
        }

        if (write is null)
        {
            return Cancelled(run);
        }

        indexes.Apply(run.Collection, write, toStore);
        RetrievalLog.DocumentIngested(logger, job.DocumentId, run.Collection.Id, toStore.Count, run.Elapsed.ElapsedMilliseconds);
        RetrievalMetrics.Ingested("succeeded", toStore.Count, run.Elapsed.Elapsed);
        return IngestOutcome.Succeeded;
    }

    // Before embedding: neither the embedding model nor the store sees what the policy redacts.
    private DocumentCheck Screened(string tenant, ParsedDocument document, string mediaType, IReadOnlyList<DocumentChunk> chunks)
    {
        if (screen is null)
        {
            return new DocumentCheck.Accepted(document, mediaType, chunks);
        }

        // The title the parser found (a first heading, a first line) is stored too: screened with the chunks, last.
        var screening = screen.Screen(tenant, [.. chunks.Select(c => c.Text), document.Title ?? ""]);
        if (screening.BlockedBy is { } rule)
        {
            return new DocumentCheck.Refused(422, "content_blocked", $"The guardrail policy blocks this document (rule '{rule}').");
        }

        var texts = screening.Texts!;
        return new DocumentCheck.Accepted(
            document with { Title = document.Title is null ? null : texts[^1] },
            mediaType,
            chunks.Select((c, i) => c with { Text = texts[i] }).ToList());
    }

    private IngestOutcome Cancelled(IngestRun run)
    {
        RetrievalLog.IngestCancelled(logger, run.Job.Id, run.Job.DocumentId);
        RetrievalMetrics.Ingested("cancelled", 0, run.Elapsed.Elapsed);
        return IngestOutcome.Cancelled;
    }

    private async Task EmbedSliceAsync(IngestRun run, CancellationToken cancellationToken)
    {
        var chunks = run.Accepted.Chunks;
        var start = run.Embedded;
        var texts = chunks.Skip(start).Take(options.Value.EmbeddingBatchSize).Select(c => c.Text).ToList();
        var generated = await embeddings.GenerateAsync(texts, cancellationToken: cancellationToken);
        for (var i = 0; i < texts.Count; i++)
        {
            var vector = generated[i].Vector.ToArray();
            if (vector.Length != run.Collection.Dimensions)
            {
                throw new RetrievalException(RetrievalErrors.EmbeddingModelChanged,
                    $"The embedding model now gives {vector.Length} dimensions; this collection was built with {run.Collection.Dimensions}.");
            }

            run.Vectors[start + i] = vector;
        }

        run.Embedded = start + texts.Count;

        // Once a second is plenty for someone watching, and keeps the writes off the hot path.
        if (run.SinceProgress.Elapsed >= ProgressInterval)
        {
            Advisory(() => jobs.ReportProgress(run.Job.Id, chunks.Count, run.Embedded));
            run.SinceProgress.Restart();
        }
    }

    /// <summary>Progress is advisory: on a full disk it is skipped, not a reason to stop the job.</summary>
    private static void Advisory(Action report)
    {
        try
        {
            report();
        }
        catch (Exception ex) when (DiskFull.Is(ex))
        {
            // The next report, or the commit, carries the progress once there is space.
        }
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
