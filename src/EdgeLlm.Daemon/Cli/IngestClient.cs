using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EdgeLlm.Daemon.Cli;

/// <summary>The daemon's collection API as <c>edgellm ingest</c> uses it: find or create a collection, upload, follow jobs.</summary>
internal sealed class IngestClient(HttpClient http)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task<string?> ResolveCollectionAsync(string nameOrId, bool create, CancellationToken cancellationToken)
    {
        using var list = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative), cancellationToken);
        var collections = await ReadAsync(list, cancellationToken);
        foreach (var collection in collections.GetProperty("data").EnumerateArray())
        {
            if (collection.GetProperty("id").GetString() == nameOrId || collection.GetProperty("name").GetString() == nameOrId)
            {
                return collection.GetProperty("id").GetString();
            }
        }

        if (!create)
        {
            return null;
        }

        using var body = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = nameOrId }), Encoding.UTF8, "application/json");
        using var created = await http.PostAsync(new Uri("/v1/collections", UriKind.Relative), body, cancellationToken);
        return (await ReadAsync(created, cancellationToken)).GetProperty("id").GetString();
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
                if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                {
                    // Over this key's rate limit: wait as told, then poll the rest.
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }

                var job = await ReadAsync(response, cancellationToken);
                var status = job.GetProperty("status").GetString();
                if (status is "succeeded" or "failed")
                {
                    jobs.Remove(id);
                    progress.Finished(file, status == "succeeded" ? null : job.GetProperty("error").GetProperty("message").GetString());
                }
                else
                {
                    progress.Working(file, job.GetProperty("done_chunks").GetInt32(), job.GetProperty("total_chunks").GetInt32());
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

            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            if (!response.IsSuccessStatusCode)
            {
                progress.Finished(file, ErrorMessage(body, response.StatusCode));
                return null;
            }

            return body.GetProperty("data")[0].GetProperty("id").GetString();
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            throw new IngestClientException($"the daemon answered {(int)response.StatusCode} with a body that is not JSON.");
        }

        return response.IsSuccessStatusCode ? body : throw new IngestClientException(ErrorMessage(body, response.StatusCode));
    }

    private static string ErrorMessage(JsonElement body, HttpStatusCode status) =>
        body.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message)
            ? $"{message.GetString()} ({(int)status}{(error.TryGetProperty("code", out var code) ? " " + code.GetString() : "")})"
            : $"HTTP {(int)status}";
}

/// <summary>The daemon refused a request of <c>edgellm ingest</c>; the message is the daemon's.</summary>
internal sealed class IngestClientException(string message) : Exception(message);
