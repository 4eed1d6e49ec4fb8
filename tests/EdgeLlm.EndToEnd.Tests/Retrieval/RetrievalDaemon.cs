using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Retrieval;

/// <summary>The running daemon's collection API as the end-to-end retrieval tests use it.</summary>
internal static class RetrievalDaemon
{
    // Only stops a hang: ingesting a few hundred stories260K chunks takes seconds.
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Creates a key with the ingest and inference scopes with <c>edgellm keys create</c>, as an operator would, while the daemon runs.</summary>
    public static async Task<string> CreateKeyAsync(string dataDirectory, string tenant)
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", dataDirectory, "--name", "retrieval-" + tenant, "--tenant", tenant, "--scope", "ingest", "--scope", "inference"]);
        var key = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        return exitCode == 0 && key is not null ? key : throw new InvalidOperationException($"'edgellm keys create' failed (exit {exitCode}):\n{output}");
    }

    public static HttpClient Client(EdgeLlmProcess daemon, string key)
    {
        var client = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<string> CreateCollectionAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/v1/collections", new { name });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Every document of the collection, all pages.</summary>
    public static async Task<List<JsonElement>> DocumentsAsync(HttpClient client, string collection)
    {
        var documents = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await GetAsync(client, $"/v1/collections/{collection}/documents?limit=1000" + (after is null ? "" : "&after=" + after));
            documents.AddRange(page.GetProperty("data").EnumerateArray());
            if (!page.GetProperty("has_more").GetBoolean())
            {
                return documents;
            }

            after = documents[^1].GetProperty("id").GetString();
        }
    }

    /// <summary>Polls every job until it has succeeded or failed; returns them by id.</summary>
    public static async Task<Dictionary<string, JsonElement>> WaitForJobsAsync(HttpClient client, string collection, IEnumerable<string> jobIds)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        var finished = new Dictionary<string, JsonElement>();
        var waiting = jobIds.ToList();
        while (waiting.Count > 0)
        {
            foreach (var id in waiting.ToList())
            {
                var job = await GetAsync(client, $"/v1/collections/{collection}/jobs/{id}");
                if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
                {
                    finished[id] = job;
                    waiting.Remove(id);
                }
            }

            if (waiting.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }

        return finished;
    }
}
