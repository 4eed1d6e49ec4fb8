using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Faults;

/// <summary>The real daemon with its data directory on a small tmpfs that the test fills to the last byte, then frees.</summary>
public sealed class DiskFullTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);
    private static readonly string Description = new('d', 1000);

    [Fact]
    public async Task OnAFullDataDiskInferenceGoesOnWritesAnswer507WithJsonTheStatusShowsItAndWritesResumeOnceSpaceReturns()
    {
        using var disk = SmallTmpfs.Mount(48L << 20);
        var data = Path.Combine(disk.Path, "data");
        var (created, output) = await EdgeLlmProcess.RunToEndAsync(
            ["keys", "create", "--data-dir", data, "--name", "ops", "--tenant", "ops", "--scope", "admin", "--scope", "ingest", "--scope", "inference"]);
        Assert.True(created == 0, output);
        var key = output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("ellm_", StringComparison.Ordinal));
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, createKey: false, dataDirectory: data);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var before = await CreateCollectionAsync(client, "before");
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);

        Assert.True(disk.Fill() > 0);
        using var completion = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 8 });
        var refused = await FirstRefusedCollectionAsync(client);
        var whileFull = await StatusAsync(client);

        disk.Free();
        using var after = await CreateCollectionAsync(client, "after");
        using var completionAfter = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 8 });
        var once = await StatusAsync(client);
        var exitCode = await daemon.TerminateAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.Equal((HttpStatusCode)507, refused.Status);
        Assert.Equal("insufficient_storage", JsonDocument.Parse(refused.Body).RootElement.GetProperty("error").GetProperty("code").GetString());
        var fullStorage = whileFull.GetProperty("storage");
        Assert.Equal(JsonValueKind.String, fullStorage.GetProperty("full_since").ValueKind);
        Assert.True(fullStorage.GetProperty("free_bytes").GetInt64() < 1 << 20, fullStorage.ToString());

        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, completionAfter.StatusCode);
        Assert.Equal(JsonValueKind.Null, once.GetProperty("storage").GetProperty("full_since").ValueKind);
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("\"@l\":\"Fatal\"", daemon.Output, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> CreateCollectionAsync(HttpClient client, string name) =>
        client.PostAsJsonAsync("/v1/collections", new { name, description = Description });

    /// <summary>
    /// Creates collections until one is refused: SQLite appends each to its write-ahead log, which soon needs a page
    /// the full disk has not got. Every answer before that must be 201 (a write that fitted), never a 500.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Body)> FirstRefusedCollectionAsync(HttpClient client)
    {
        for (var i = 0; i < 90; i++)
        {
            using var response = await CreateCollectionAsync(client, $"full-{i}");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return (response.StatusCode, body);
            }
        }

        throw new Xunit.Sdk.XunitException("90 collections were created on a full disk: the disk was not full.");
    }

    private static async Task<JsonElement> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/admin/status", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
