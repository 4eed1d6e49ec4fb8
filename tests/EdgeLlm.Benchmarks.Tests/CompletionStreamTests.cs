using System.Net;
using System.Text;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The benchmarks' stream reader, over canned server-sent events (a handler at the HTTP seam, no socket).</summary>
public sealed class CompletionStreamTests
{
    [Fact]
    public async Task TextEventsAreStampedAndJoinedAndTheUsageIsKept()
    {
        var answer = await ReadAsync(HttpStatusCode.OK,
            ": keep-alive\n\n" +
            "data: {\"choices\":[{\"text\":\"Once\"}]}\n\n" +
            "data: {\"choices\":[{\"text\":\"\"}]}\n\n" +
            "data: {\"choices\":[{\"text\":\" upon\"}]}\n\n" +
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n" +
            "data: [DONE]\n\n" +
            "data: {\"choices\":[{\"text\":\" ignored\"}]}\n\n");

        Assert.Equal("Once upon", answer.Text);
        Assert.Equal(2, answer.TokenTimes.Count);
        Assert.True(answer.TokenTimes[0] >= answer.Sent && answer.TokenTimes[1] >= answer.TokenTimes[0]);
        Assert.Equal(2, answer.Timing.CompletionTokens);
        Assert.Equal(3, answer.Usage.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task AnErrorEventEndsTheReadWithItsText()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(HttpStatusCode.OK,
            "data: {\"choices\":[{\"text\":\"Once\"}]}\n\ndata: {\"error\":{\"code\":\"server_shutting_down\"}}\n\n"));
        Assert.Contains("server_shutting_down", failure.Message);
    }

    [Fact]
    public async Task AStreamWithoutUsageOrTextIsRefused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(HttpStatusCode.OK, "data: {\"choices\":[{\"text\":\"Once\"}]}\n\ndata: [DONE]\n\n"));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(HttpStatusCode.OK, "data: {\"choices\":[],\"usage\":{\"completion_tokens\":0}}\n\ndata: [DONE]\n\n"));
    }

    [Fact]
    public async Task ARefusalIsReportedWithItsStatusAndBody()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(HttpStatusCode.TooManyRequests, "{\"error\":{\"code\":\"queue_full\"}}"));
        Assert.Contains("429", failure.Message);
        Assert.Contains("queue_full", failure.Message);
    }

    private static async Task<StreamedCompletion> ReadAsync(HttpStatusCode status, string body)
    {
        using var http = new HttpClient(new CannedHandler(status, body)) { BaseAddress = new Uri("http://daemon.test/") };
        return await CompletionStream.SendAsync(http, "key", "{\"stream\":true}", 8, CancellationToken.None);
    }

    private sealed class CannedHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("Bearer key", request.Headers.Authorization?.ToString());
            Assert.Equal("/v1/completions", request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") });
        }
    }
}
