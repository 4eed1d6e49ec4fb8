using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference.Embeddings;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

    public static async Task UploadAsync(HttpContext http, string collection, CollectionStore collections, DocumentIngestor ingestor, IngestQueue queue, IOptions<RetrievalOptions> options)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(http), collection);
        if (found is null)
        {
            await CollectionsEndpoints.NotFoundAsync(http);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxUploadBytes;
        }

        var (uploads, error) = http.Request.HasFormContentType
            ? await UploadReader.ReadFormAsync(http.Request, found.Id, options.Value, MaxFilesPerRequest)
            : await UploadReader.ReadJsonAsync(http.Request, found.Id);
        try
        {
            for (var i = 0; error is null && i < uploads!.Count; i++)
            {
                if (ingestor.Check(uploads[i].Content, uploads[i].ContentType, uploads[i].FileName) is DocumentCheck.Refused refused)
                {
                    var which = uploads.Count > 1 ? $"{uploads[i].FileName ?? "document " + i}: " : "";
                    error = new ApiError(refused.Status, refused.Status == 415 ? ErrorCodes.UnsupportedMediaType : refused.Code, which + refused.Message);
                }
            }
        }
        catch (EmbeddingUnavailableException ex)
        {
            // Chunking needs the embedding model's tokenizer; while the model loads, ask the client to come back.
            error = new ApiError(503, ErrorCodes.EmbeddingModelUnavailable, ex.Message, RetryAfter: TimeSpan.FromSeconds(5));
        }

        if (error is not null)
        {
            await ApiErrorWriter.WriteAsync(http, error);
            return;
        }

        var jobs = await queue.EnqueueAsync(CollectionsEndpoints.Tenant(http), uploads!, http.RequestAborted);
        if (jobs is null)
        {
            await ApiErrorWriter.WriteAsync(http, new ApiError(429, ErrorCodes.IngestQueueFull, "Too many documents are waiting to be ingested; retry later.", RetryAfter: TimeSpan.FromSeconds(10)));
            return;
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
        if (http.Request.HasFormContentType)
        {
            await CollectionsEndpoints.WriteAsync(http, new IngestJobList("list", jobs.Select(RetrievalDtos.Job).ToList()), ApiJsonContext.Default.IngestJobList);
            return;
        }

        http.Response.Headers.Location = $"/v1/collections/{found.Id}/jobs/{jobs[0].Id}";
        await CollectionsEndpoints.WriteAsync(http, RetrievalDtos.Job(jobs[0]), ApiJsonContext.Default.IngestJobDto);
    }

    public static Task GetJobAsync(HttpContext http, string collection, string job, CollectionStore collections, IngestJobStore jobs)
    {
        var tenant = CollectionsEndpoints.Tenant(http);
        var found = collections.Find(tenant, collection);
        return found is null ? CollectionsEndpoints.NotFoundAsync(http)
            : jobs.Find(tenant, found.Id, job) is { } ingest ? CollectionsEndpoints.WriteAsync(http, RetrievalDtos.Job(ingest), ApiJsonContext.Default.IngestJobDto)
            : ApiErrorWriter.WriteAsync(http, new ApiError(404, ErrorCodes.JobNotFound, "No such ingest job."));
    }

    public static Task ListAsync(HttpContext http, string collection, [FromQuery] string? after, [FromQuery] int? limit, CollectionStore collections, DocumentStore documents)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(http), collection);
        if (found is null)
        {
            return CollectionsEndpoints.NotFoundAsync(http);
        }

        if (limit is < 1 or > 1000)
        {
            return ApiErrorWriter.WriteAsync(http, new ApiError(400, ErrorCodes.InvalidParameter, "limit must be between 1 and 1000.", "limit"));
        }

        var page = documents.List(found.Id, after, (limit ?? 100) + 1);
        var take = Math.Min(page.Count, limit ?? 100);
        return CollectionsEndpoints.WriteAsync(http, new DocumentList("list", page.Take(take).Select(d => RetrievalDtos.Document(d)).ToList(), page.Count > take), ApiJsonContext.Default.DocumentList);
    }

    public static Task GetAsync(HttpContext http, string collection, string document, [FromQuery(Name = "include_chunks")] bool? includeChunks, CollectionStore collections, DocumentStore documents)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(http), collection);
        var info = found is null ? null : documents.Find(found.Id, document);
        return found is null ? CollectionsEndpoints.NotFoundAsync(http)
            : info is null ? DocumentNotFoundAsync(http)
            : CollectionsEndpoints.WriteAsync(http, RetrievalDtos.Document(info, includeChunks == true ? documents.Chunks(found.Id, document) : null), ApiJsonContext.Default.DocumentDto);
    }

    public static async Task DeleteAsync(HttpContext http, string collection, string document, CollectionStore collections, DocumentStore documents, VectorIndexCache indexes)
    {
        var found = collections.Find(CollectionsEndpoints.Tenant(http), collection);
        if (found is null)
        {
            await CollectionsEndpoints.NotFoundAsync(http);
            return;
        }

        var removed = await documents.DeleteAsync(found.Id, document, http.RequestAborted);
        if (removed is null)
        {
            await DocumentNotFoundAsync(http);
            return;
        }

        indexes.Remove(found.Id, removed);
        await CollectionsEndpoints.WriteAsync(http, new DeletedDto(document, "document", true), ApiJsonContext.Default.DeletedDto);
    }

    private static Task DocumentNotFoundAsync(HttpContext http) =>
        ApiErrorWriter.WriteAsync(http, new ApiError(404, ErrorCodes.DocumentNotFound, "No such document in this collection."));
}
