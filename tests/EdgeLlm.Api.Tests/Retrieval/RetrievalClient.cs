using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Retrieval.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>One API key's view of the collection API, over real HTTP, with the raw body of every answer kept for leak checks.</summary>
internal sealed class RetrievalClient(InferenceTestServer server, string key)
{
    // Ingest jobs of these small documents end in well under a second; this only stops a hang.
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(1);

    public string Key { get; } = key;

    public InferenceTestServer Server { get; } = server;

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        // An upload waits for the server's go-ahead, as curl's do: a refusal made before the body is read (413 on its
        // length) then reaches the client instead of a broken pipe from the body it would still be sending.
        request.Headers.ExpectContinue = content is MultipartFormDataContent;
        using var response = await Server.Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return new ApiAnswer(response.StatusCode, raw, response.Headers.Location);
    }

    public Task<ApiAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<ApiAnswer> PostAsync(string path, object body) =>
        SendAsync(HttpMethod.Post, path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public async Task<string> CreateCollectionAsync(string name)
    {
        var answer = await PostAsync("/v1/collections", new { name });
        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        return answer.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Uploads one text document as JSON and waits for its job; the job must succeed.</summary>
    public async Task IngestTextAsync(string collection, string id, string text, string contentType = "text/plain", string? title = null, string[]? tags = null)
    {
        var answer = await PostAsync($"/v1/collections/{collection}/documents", new { id, text, content_type = contentType, title, tags });
        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
        var job = await WaitForJobAsync(collection, answer.Json.GetProperty("id").GetString()!);
        Assert.True(job.GetProperty("status").GetString() == "succeeded", job.ToString());
    }

    /// <summary>Uploads files as multipart/form-data: each becomes a 'file' part, each field a form value.</summary>
    public Task<ApiAnswer> UploadFilesAsync(string collection, IEnumerable<FixtureDocument> files, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var part = new ByteArrayContent(file.Content);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
            form.Add(part, "file", file.FileName);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return SendAsync(HttpMethod.Post, $"/v1/collections/{collection}/documents", form);
    }

    /// <summary>Polls the job until it has succeeded or failed, and returns it.</summary>
    public async Task<JsonElement> WaitForJobAsync(string collection, string jobId)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        while (true)
        {
            var answer = await GetAsync($"/v1/collections/{collection}/jobs/{jobId}");
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            if (answer.Json.GetProperty("status").GetString() is "succeeded" or "failed")
            {
                return answer.Json;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    public async Task<JsonElement> GetDocumentAsync(string collection, string id)
    {
        var answer = await GetAsync($"/v1/collections/{collection}/documents/{id}?include_chunks=true");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Json;
    }

    /// <summary>
    /// What a failed request could have changed in a collection: its counts, each document's version, and the
    /// ingest jobs recorded for it (read from retrieval.db, since the API lists no jobs).
    /// </summary>
    public async Task<string> SnapshotAsync(string collection)
    {
        var shown = await GetAsync($"/v1/collections/{collection}");
        var documents = await GetAsync($"/v1/collections/{collection}/documents");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Equal(HttpStatusCode.OK, documents.Status);
        var id = shown.Json.GetProperty("id").GetString()!;
        var versions = documents.Json.GetProperty("data").EnumerateArray()
            .Select(d => $"{d.GetProperty("id")}:{d.GetProperty("sha256")}:{d.GetProperty("chunk_count")}:{d.GetProperty("updated_at")}");
        using var connection = Server.Services.GetRequiredService<RetrievalDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) || '/' || COUNT(payload) FROM ingest_jobs WHERE collection_id = $c";
        command.Parameters.AddWithValue("$c", id);
        var jobs = (string)command.ExecuteScalar()!;
        return $"documents {shown.Json.GetProperty("document_count")}, chunks {shown.Json.GetProperty("chunk_count")}, jobs {jobs}; {string.Join(", ", versions)}";
    }
}

/// <summary>An HTTP answer: status, raw body and Location.</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, string Raw, Uri? Location)
{
    public JsonElement Json => JsonDocument.Parse(Raw).RootElement.Clone();

    public string? ErrorCode => Json.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString() : null;

    public override string ToString() => $"{(int)Status} {Raw}";
}
