using System.Net;
using System.Net.Http.Json;
using System.Text;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Daemon.Cli;
using Xunit;

namespace EdgeLlm.Daemon.Tests.Cli;

/// <summary>
/// <c>edgellm ingest</c>'s client reads the daemon's answers as the API's wire contracts: a refusal becomes the
/// daemon's own message with its status and code, a failed job its reason. The daemon is a hand-written fake at
/// the HTTP seam whose bodies are serialized by the API's own types; the real daemon is in the end-to-end tests.
/// </summary>
public sealed class IngestClientTests
{
    [Fact]
    public async Task ARefusalIsReportedWithTheDaemonsMessageStatusAndCode()
    {
        var refusal = new ApiError(403, ErrorCodes.InsufficientScope, "This API key lacks the scope this endpoint requires: ingest.");
        var client = Client(_ => Answer(HttpStatusCode.Forbidden, new StringContent(refusal.ToOpenAiJson(), Encoding.UTF8, "application/json")));

        var refused = await Assert.ThrowsAsync<IngestClientException>(() => client.ResolveCollectionAsync("site-docs", create: true, CancellationToken.None));

        Assert.Equal("This API key lacks the scope this endpoint requires: ingest. (403 insufficient_scope)", refused.Message);
    }

    [Fact]
    public async Task AnErrorPageThatIsNotTheDaemonsIsReportedByItsStatus()
    {
        var client = Client(_ => Answer(HttpStatusCode.BadGateway, new StringContent("<html><body>Bad gateway</body></html>", Encoding.UTF8, "text/html")));

        var refused = await Assert.ThrowsAsync<IngestClientException>(() => client.ResolveCollectionAsync("site-docs", create: false, CancellationToken.None));

        Assert.Equal("HTTP 502", refused.Message);
    }

    [Fact]
    public async Task ACollectionIsFoundByNameOrCreatedWhenAbsent()
    {
        var existing = new CollectionDto("col_1", "collection", "manuals", null, "stories260K", 64, 1, 0, 0);
        string? createdName = null;
        var client = Client(request => (request.Method.Method, request.RequestUri!.AbsolutePath) switch
        {
            ("GET", "/v1/collections") => Task.FromResult(Answer(HttpStatusCode.OK, JsonContent.Create(new CollectionList("list", [existing]), ApiJsonContext.Default.CollectionList))),
            ("POST", "/v1/collections") => CreatedAsync(request, name => createdName = name),
            _ => Task.FromResult(Answer(HttpStatusCode.NotFound, new StringContent(""))),
        });

        var found = await client.ResolveCollectionAsync("manuals", create: true, CancellationToken.None);
        var missing = await client.ResolveCollectionAsync("site-docs", create: false, CancellationToken.None);
        var created = await client.ResolveCollectionAsync("site-docs", create: true, CancellationToken.None);

        Assert.Equal("col_1", found);
        Assert.Null(missing);
        Assert.Equal("col_2", created);
        Assert.Equal("site-docs", createdName);
    }

    [Fact]
    public async Task AFailedIngestJobIsCountedWithTheDaemonsReason()
    {
        var job = new IngestJobDto("job_1", "ingest_job", "col_1", "manual.docx", "queued", 0, 0, null, 1, 1);
        var client = Client(request => (request.Method.Method, request.RequestUri!.AbsolutePath) switch
        {
            ("POST", "/v1/collections/col_1/documents") => Answer(HttpStatusCode.Accepted, JsonContent.Create(new IngestJobList("list", [job]), ApiJsonContext.Default.IngestJobList)),
            ("GET", "/v1/collections/col_1/jobs/job_1") => Answer(HttpStatusCode.OK, JsonContent.Create(
                job with { Status = "failed", Error = new JobErrorDto("document_unreadable", "manual.docx is not a readable .docx file.") },
                ApiJsonContext.Default.IngestJobDto)),
            _ => Answer(HttpStatusCode.NotFound, new StringContent("")),
        });
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "not a docx");
            var output = new StringWriter();
            var progress = new IngestProgress(1, output, interactive: false);

            var failed = await client.IngestAsync("col_1", [new IngestFile(file, "manual.docx")], [], progress, CancellationToken.None);

            Assert.Equal(1, failed);
            Assert.Contains($"failed  {file}: manual.docx is not a readable .docx file.", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IngestClient Client(Func<HttpRequestMessage, HttpResponseMessage> daemon) => Client(request => Task.FromResult(daemon(request)));

    private static IngestClient Client(Func<HttpRequestMessage, Task<HttpResponseMessage>> daemon) =>
        new(new HttpClient(new FakeDaemon(daemon)) { BaseAddress = new Uri("http://daemon.test") });

    private static HttpResponseMessage Answer(HttpStatusCode status, HttpContent content) => new(status) { Content = content };

    private static async Task<HttpResponseMessage> CreatedAsync(HttpRequestMessage request, Action<string?> seen)
    {
        var body = await request.Content!.ReadFromJsonAsync(ApiJsonContext.Default.CreateCollectionRequest);
        seen(body?.Name);
        return Answer(HttpStatusCode.Created, JsonContent.Create(
            new CollectionDto("col_2", "collection", body!.Name!, null, "stories260K", 64, 2, 0, 0), ApiJsonContext.Default.CollectionDto));
    }

    /// <summary>The daemon at the HTTP seam: answers each request with what the test says.</summary>
    private sealed class FakeDaemon(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
