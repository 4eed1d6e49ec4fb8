using System.Security.Claims;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// <c>/v1/collections/{id}/documents</c> and <c>/jobs</c>: upload (JSON text or multipart files), list, show,
/// delete. An upload is checked (type, size, parse) before it is acknowledged with 202 and a job to poll;
/// a request with one bad document queues none of them.
/// </summary>
internal static class DocumentsEndpoints
{
    private const int MaxFilesPerRequest = 32;

    private static readonly ApiError DocumentNotFound = new(404, ErrorCodes.DocumentNotFound, "No such document in this collection.");


    public static async Task<Results<Accepted<IngestJobList>, Accepted<IngestJobDto>, ApiError>> UploadAsync(
        HttpContext http, string collection, CollectionStore collections, DocumentIngestor ingestor, IngestQueue queue, GuardrailEnforcer guardrails, IOptions<RetrievalOptions> options)
    {
        var tenant = CollectionsEndpoints.Tenant(http.User);
        var found = collections.Find(tenant, collection);
        if (found is null)
        {
            return CollectionsEndpoints.CollectionNotFound;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxUploadBytes;
        }

        // A multipart body is spooled to the temporary folder as it is read, so a full disk can show here too: the
        // central handler answers it with 507, as every write that meets a full disk.
        var (uploads, error) = http.Request.HasFormContentType
            ? await UploadReader.ReadFormAsync(http.Request, found.Id, options.Value, MaxFilesPerRequest)
            : await UploadReader.ReadJsonAsync(http.Request, found.Id);
        if (error is not null)
        {
            return error;
        }

        (uploads, var blocked) = UploadScreening.Screen(guardrails, tenant, http.User.GetApiKeyId(), uploads!);
        if ((blocked ?? Check(uploads!, ingestor, tenant)) is { } refused)
        {
            return refused;
        }

        var jobs = await queue.EnqueueAsync(tenant, uploads!, http.RequestAborted);
        if (jobs is null)
        {
            return new ApiError(429, ErrorCodes.IngestQueueFull, "Too many documents are waiting to be ingested; retry later.", RetryAfter: TimeSpan.FromSeconds(10));
        }

        return http.Request.HasFormContentType
            ? TypedResults.Accepted((string?)null, new IngestJobList("list", jobs.Select(RetrievalDtos.Job).ToList()))
            : TypedResults.Accepted($"/v1/collections/{found.Id}/jobs/{jobs[0].Id}", RetrievalDtos.Job(jobs[0]));
    }

    public static Results<Ok<IngestJobDto>, ApiError> GetJob(string collection, string job, ClaimsPrincipal user, CollectionStore collections, IngestJobStore jobs)
    {
        var tenant = CollectionsEndpoints.Tenant(user);
        var found = collections.Find(tenant, collection);
        return found is null ? CollectionsEndpoints.CollectionNotFound
            : jobs.Find(tenant, found.Id, job) is { } ingest ? TypedResults.Ok(RetrievalDtos.Job(ingest))
            : new ApiError(404, ErrorCodes.JobNotFound, "No such ingest job.");
    }

    public static Results<Ok<DocumentList>, ApiError> List(
        string collection, [FromQuery] string? after, [FromQuery] int? limit, ClaimsPrincipal user, CollectionStore collections, DocumentStore documents)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(user), collection);
        if (found is null)
        {
            return CollectionsEndpoints.CollectionNotFound;
        }

        if (limit is < 1 or > 1000)
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "limit must be between 1 and 1000.", "limit");
        }

        var page = documents.List(found.Id, after, (limit ?? 100) + 1);
        var take = Math.Min(page.Count, limit ?? 100);
        return TypedResults.Ok(new DocumentList("list", page.Take(take).Select(d => RetrievalDtos.Document(d)).ToList(), page.Count > take));
    }

    public static Results<Ok<DocumentDto>, ApiError> Get(
        string collection, string document, [FromQuery(Name = "include_chunks")] bool? includeChunks, ClaimsPrincipal user, CollectionStore collections, DocumentStore documents)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(user), collection);
        var info = found is null ? null : documents.Find(found.Id, document);
        return found is null ? CollectionsEndpoints.CollectionNotFound
            : info is null ? DocumentNotFound
            : TypedResults.Ok(RetrievalDtos.Document(info, includeChunks == true ? documents.Chunks(found.Id, document) : null));
    }

    /// <summary>Deletes the document and cancels its queued and running ingest jobs (which then end as <c>cancelled</c>).</summary>
    public static async Task<Results<Ok<DeletedDto>, ApiError>> DeleteAsync(
        string collection, string document, ClaimsPrincipal user, CollectionStore collections, DocumentStore documents, VectorIndexCache indexes, RunningIngests running,
        CancellationToken cancellationToken)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(user), collection);
        if (found is null)
        {
            return CollectionsEndpoints.CollectionNotFound;
        }

        var removed = await documents.DeleteAsync(found.Id, document, cancellationToken);

        if (removed is null)
        {
            return DocumentNotFound;
        }

        // After the commit: the job can no longer write the document back, and now stops embedding it too.
        running.CancelDocument(found.Id, document);
        indexes.Remove(found.Id, removed);
        return TypedResults.Ok(new DeletedDto(document, "document", true));
    }

    /// <summary>Every upload checked (type, size, parse) before any is queued; the first refusal names its file when there are several.</summary>
    private static ApiError? Check(IReadOnlyList<IngestRequest> uploads, DocumentIngestor ingestor, string tenant)
    {
        try
        {
            for (var i = 0; i < uploads.Count; i++)
            {
                if (ingestor.Check(uploads[i].Content, uploads[i].ContentType, uploads[i].FileName, tenant) is DocumentCheck.Refused refused)
                {
                    var which = uploads.Count > 1 ? $"{uploads[i].FileName ?? "document " + i}: " : "";
                    return new ApiError(refused.Status, refused.Status == 415 ? ErrorCodes.UnsupportedMediaType : refused.Code, which + refused.Message);
                }
            }

            return null;
        }
        catch (EmbeddingUnavailableException ex)
        {
            // Chunking needs the embedding model's tokenizer; while the model loads, ask the client to come back.
            return new ApiError(503, ErrorCodes.EmbeddingModelUnavailable, ex.Message, RetryAfter: TimeSpan.FromSeconds(5));
        }
    }
}
