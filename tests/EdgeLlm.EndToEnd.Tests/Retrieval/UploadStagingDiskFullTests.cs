using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Retrieval;

/// <summary>
/// The daemon spools a multipart upload larger than 64 KiB to its temporary folder (ASPNETCORE_TEMP) while reading
/// it. With that folder on a full 4 MiB tmpfs, an upload answers 507 <c>insufficient_storage</c> with a JSON body, the
/// daemon keeps running, and the same upload is accepted once space is freed.
/// </summary>
public sealed class UploadStagingDiskFullTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task AnUploadThatCannotBeSpooledOnAFullDiskAnswers507AndIsAcceptedOnceSpaceIsFreed()
    {
        using var tmpfs = SmallTmpfs.Mount(4 << 20);
        var staging = tmpfs.Folder("staging");
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, environment: new Dictionary<string, string> { ["ASPNETCORE_TEMP"] = staging });
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        var key = await RetrievalDaemon.CreateKeyAsync(daemon.DataDirectory, "plant");
        using var client = RetrievalDaemon.Client(daemon, key);
        var collection = await RetrievalDaemon.CreateCollectionAsync(client, "manuals");
        tmpfs.Fill();

        using (var refused = await UploadAsync(client, collection))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.InsufficientStorage, $"{(int)refused.StatusCode} {body}");
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("insufficient_storage", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.DoesNotContain(tmpfs.Path, body, StringComparison.Ordinal);
        }

        using (var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        tmpfs.Free();
        using var accepted = await UploadAsync(client, collection);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"{(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
    }

    /// <summary>A 256 KiB text file as multipart: over the 64 KiB that ASP.NET Core keeps in memory, so it is spooled.</summary>
    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string collection)
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 2600).Select(p => $"Paragraph {p}: the pump was checked and the seal was replaced by the shift."));
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var form = new MultipartFormDataContent { { part, "file", "manual.txt" } };
        return client.PostAsync(new Uri($"/v1/collections/{collection}/documents", UriKind.Relative), form);
    }
}
