using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeLlm.Api.Contracts;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// The daemon's collection API as <c>edgellm ingest</c> uses it: find or create a collection, upload, follow jobs.
/// It reads and writes the API's own wire contracts through their source-generated context, so a renamed field
/// breaks the build, not an operator's ingest.
/// </summary>
internal sealed class IngestClient(HttpClient http)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task<string?> ResolveCollectionAsync(string nameOrId, bool create, CancellationToken cancellationToken)
    {
        using var list = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative), cancellationToken);
        var collections = await ReadAsync(list, ApiJsonContext.Default.CollectionList, cancellationToken);
        if (collections.Data.FirstOrDefault(c => c.Id == nameOrId || c.Name == nameOrId) is { } found)
        {
            return found.Id;
        }

        if (!create)
        {
            return null;
        }

        using var body = JsonContent.Create(new CreateCollectionRequest { Name = nameOrId }, ApiJsonContext.Default.CreateCollectionRequest);
        using var created = await http.PostAsync(new Uri("/v1/collections", UriKind.Relative), body, cancellationToken);
        return (await ReadAsync(created, ApiJsonContext.Default.CollectionDto, cancellationToken)).Id;
    }

    /// <summary>Uploads every file, then waits for their jobs; returns how many failed.</summary>
    public async Task<int> IngestAsync(string collectionId, IReadOnlyList<IngestFile> files, IReadOnlyList<string> tags, IngestProgress progress, CancellationToken cancellationToken)
    {
        var jobs = new Dictionary<string, IngestFile>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var job = await UploadAsync(collectionId, file, tags, progress, cancellationToken);
            if (job is not null)
            {
                jobs[job] = file;
            }
        }

        while (jobs.Count > 0)
        {
            await Task.Delay(Poll, cancellationToken);
            foreach (var (id, file) in jobs.ToList())
            {
                using var response = await http.GetAsync(new Uri($"/v1/collections/{collectionId}/jobs/{id}", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    // Over this key's rate limit: wait as told, then poll the rest.
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }

                var job = await ReadAsync(response, ApiJsonContext.Default.IngestJobDto, cancellationToken);
                if (job.Status is "succeeded" or "failed" or "cancelled")
                {
                    jobs.Remove(id);
                    progress.Finished(file, job.Status == "succeeded" ? null : job.Error?.Message ?? "the ingest job failed");
                }
                else
                {
                    progress.Working(file, job.DoneChunks, job.TotalChunks);
                }
            }
        }

        return progress.Failed;
    }

    private async Task<string?> UploadAsync(string collectionId, IngestFile file, IReadOnlyList<string> tags, IngestProgress progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var form = new MultipartFormDataContent();
            var content = new ByteArrayContent(await File.ReadAllBytesAsync(file.Path, cancellationToken));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "file", Path.GetFileName(file.Path));
            form.Add(new StringContent(file.DocumentId), "id");
            foreach (var tag in tags)
            {
                form.Add(new StringContent(tag), "tags");
            }

            using var response = await http.PostAsync(new Uri($"/v1/collections/{collectionId}/documents", UriKind.Relative), form, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5), cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                progress.Finished(file, await ErrorMessageAsync(response, cancellationToken));
                return null;
            }

            var accepted = await ReadAsync(response, ApiJsonContext.Default.IngestJobList, cancellationToken);
            return accepted.Data.Count > 0 ? accepted.Data[0].Id : throw new IngestClientException("the daemon accepted the upload without an ingest job.");
        }
    }

    /// <summary>The answer as its contract, or the daemon's refusal (its message, status and code) as an <see cref="IngestClientException"/>.</summary>
    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> contract, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new IngestClientException(await ErrorMessageAsync(response, cancellationToken));
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(contract, cancellationToken)
                ?? throw new IngestClientException($"the daemon answered {(int)response.StatusCode} with an empty body.");
        }
        catch (JsonException)
        {
            throw new IngestClientException($"the daemon answered {(int)response.StatusCode} with a body that is not JSON.");
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var refusal = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.OpenAiErrorResponse, cancellationToken);
            if (refusal?.Error is { Message: not null } error)
            {
                return string.IsNullOrEmpty(error.Code) ? $"{error.Message} ({status})" : $"{error.Message} ({status} {error.Code})";
            }
        }
        catch (JsonException)
        {
            // Not the daemon's error shape (a proxy's page, say): the status is all there is to tell.
        }

        return $"HTTP {status}";
    }
}

/// <summary>The daemon refused a request of <c>edgellm ingest</c>; the message is the daemon's.</summary>
internal sealed class IngestClientException(string message) : Exception(message);
