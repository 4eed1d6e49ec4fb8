using System.Text;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>Reads an upload request into ingest requests: a JSON text document, or multipart files with form fields for their metadata.</summary>
internal static class UploadReader
{
    private const int MaxTags = 32;

    public static async Task<(IReadOnlyList<IngestRequest>? Uploads, ApiError? Error)> ReadJsonAsync(HttpRequest request, string collectionId)
    {
        var (body, error) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.DocumentTextRequest);
        if (error is not null)
        {
            return (null, error);
        }

        if (body!.Text is null)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, "text is required (or upload files as multipart/form-data).", "text"));
        }

        var metadataError = CheckMetadata(body.Id, body.Title, body.Source, body.Tags);
        return metadataError is not null
            ? (null, metadataError)
            : ([new IngestRequest(collectionId, body.Id ?? StoreIds.NewDocumentId(), null, body.ContentType ?? "text/plain", body.Title, body.Source, body.Tags ?? [], Encoding.UTF8.GetBytes(body.Text))], null);
    }

    public static async Task<(IReadOnlyList<IngestRequest>? Uploads, ApiError? Error)> ReadFormAsync(HttpRequest request, string collectionId, RetrievalOptions options, int maxFiles)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxUploadBytes, ValueCountLimit = 64, KeyLengthLimit = 64 }, request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidUpload, "The multipart body is malformed or exceeds its limits."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, new ApiError(413, ErrorCodes.RequestTooLarge, $"The upload is larger than Retrieval:MaxUploadBytes ({options.MaxUploadBytes} bytes)."));
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The multipart reader throws IOException("Unexpected end of Stream") when the body stops before its closing boundary.
            return (null, new ApiError(400, ErrorCodes.InvalidUpload, "The multipart body ended before its closing boundary or is malformed."));
        }

        if (form.Files.Count is 0 || form.Files.Count > maxFiles)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, $"Upload 1-{maxFiles} files in the 'file' field.", "file"));
        }

        var id = Single(form, "id");
        if (id is not null && form.Files.Count > 1)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, "id can only be given with a single file.", "id"));
        }

        var tags = form["tags"].SelectMany(t => (t ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var error = CheckMetadata(id, Single(form, "title"), Single(form, "source"), tags);
        if (error is not null)
        {
            return (null, error);
        }

        var uploads = new List<IngestRequest>();
        foreach (var file in form.Files)
        {
            if (file.Length > options.MaxDocumentBytes)
            {
                return (null, new ApiError(413, ErrorCodes.DocumentTooLarge, $"{file.FileName} is larger than Retrieval:MaxDocumentBytes ({options.MaxDocumentBytes} bytes)."));
            }

            using var content = new MemoryStream((int)file.Length);
            await file.CopyToAsync(content, request.HttpContext.RequestAborted);
            var name = Path.GetFileName(file.FileName);
            uploads.Add(new IngestRequest(collectionId, id ?? StoreIds.NewDocumentId(), name, file.ContentType, Single(form, "title"), Single(form, "source") ?? name, tags, content.ToArray()));
        }

        return (uploads, null);
    }

    private static ApiError? CheckMetadata(string? id, string? title, string? source, IReadOnlyList<string>? tags) =>
        id is not null && !StoreIds.IsValid(id) ? new ApiError(400, ErrorCodes.InvalidParameter, "id must be 1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit.", "id")
        : title is { Length: > 500 } ? new ApiError(400, ErrorCodes.InvalidParameter, "title is limited to 500 characters.", "title")
        : source is { Length: > 1000 } ? new ApiError(400, ErrorCodes.InvalidParameter, "source is limited to 1000 characters.", "source")
        : tags is not null && (tags.Count > MaxTags || tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 100)) ? new ApiError(400, ErrorCodes.InvalidParameter, $"tags: at most {MaxTags} non-empty tags of up to 100 characters.", "tags")
        : null;

    private static string? Single(IFormCollection form, string key) => form.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;
}
