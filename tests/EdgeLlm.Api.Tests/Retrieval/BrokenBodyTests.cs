using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Testing.Fuzzing;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>
/// A multipart upload cut off before its closing boundary, or with a broken boundary, is 400 <c>invalid_upload</c>;
/// a JSON body cut off or with broken chunked framing is 400 <c>invalid_json</c>; none of them changes the collection.
/// </summary>
public sealed class BrokenBodyTests(RetrievalServerFixture fixture) : IClassFixture<RetrievalServerFixture>
{
    private const string Boundary = "cut-here";

    private static readonly byte[] WholeUpload = Encoding.UTF8.GetBytes(
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nPump\r\n" +
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pump.txt\"\r\nContent-Type: text/plain\r\n\r\n" +
        $"The pump is serviced every week.\r\n--{Boundary}--\r\n");

    public static TheoryData<int> Cuts => new() { 10, 60, 120, WholeUpload.Length - 30, WholeUpload.Length - 4 };

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task AMultipartUploadCutOffBeforeItsClosingBoundaryIsInvalidUpload(int cut)
    {
        var (answer, before, after) = await UploadAsync(WholeUpload[..cut], $"multipart/form-data; boundary={Boundary}");

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal(ErrorCodes.InvalidUpload, answer.ErrorCode);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=another")]
    public async Task AMultipartUploadWithABrokenBoundaryIsInvalidUpload(string contentType)
    {
        var (answer, before, after) = await UploadAsync(WholeUpload, contentType);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal(ErrorCodes.InvalidUpload, answer.ErrorCode);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task TheWholeUploadIsAccepted()
    {
        var (answer, _, _) = await UploadAsync(WholeUpload, $"multipart/form-data; boundary={Boundary}");

        Assert.True(answer.Status == HttpStatusCode.Accepted, answer.ToString());
    }

    [Theory]
    [InlineData("/v1/completions", """{"prompt":"Once upon a time","max_tokens":2}""")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":2}""")]
    [InlineData("/v1/embeddings", """{"input":["a pump","a valve"]}""")]
    [InlineData("/v1/collections", """{"name":"cut-off","description":"never made"}""")]
    public async Task AJsonBodyCutOffOrWithBrokenChunksIsInvalidJson(string path, string body)
    {
        var client = fixture.Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var cut = 1; cut < bytes.Length; cut += 7)
        {
            var content = new ByteArrayContent(bytes[..cut]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var cutOff = await client.SendAsync(HttpMethod.Post, path, content);
            var chunked = await RawHttpSender.SendAsync(fixture.Server.Address, "Bearer " + client.Key,
                new FuzzCase("broken", cut, "broken chunks", HttpMethod.Post, path, "application/json", bytes[..cut]) { BrokenChunks = true }, TimeSpan.FromSeconds(30), CancellationToken.None);

            Assert.True(cutOff.Status == HttpStatusCode.BadRequest && cutOff.ErrorCode == ErrorCodes.InvalidJson, $"cut at {cut}: {cutOff}");
            Assert.True(chunked.Status == 400, $"chunked, cut at {cut}: {chunked.Status} {Encoding.UTF8.GetString(chunked.Body)}");
            using var refusal = JsonDocument.Parse(chunked.Body);
            Assert.Equal(ErrorCodes.InvalidJson, refusal.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        var collections = await client.GetAsync("/v1/collections");
        Assert.DoesNotContain("cut-off", collections.Raw, StringComparison.Ordinal);
    }

    private async Task<(ApiAnswer Answer, string Before, string After)> UploadAsync(byte[] body, string contentType)
    {
        // A key of its own: each key has its own rate-limit bucket, and every case here makes several requests.
        var client = fixture.Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        var collection = await client.CreateCollectionAsync("broken-" + Guid.NewGuid().ToString("N")[..12]);
        await client.IngestTextAsync(collection, "valve", "The valve is checked every month.");
        var before = await client.SnapshotAsync(collection);
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var answer = await client.SendAsync(HttpMethod.Post, $"/v1/collections/{collection}/documents", content);

        return (answer, before, await client.SnapshotAsync(collection));
    }
}
