using System.Net;
using System.Text;
using EdgeLlm.Benchmarks.Daemon;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The Ollama benchmark's <c>/v1/chat/completions</c> baseline reader, over canned server-sent events (no socket).</summary>
public sealed class ChatCompletionStreamTests
{
    [Fact]
    public async Task DeltaContentEventsAreStampedAndJoinedAndTheUsageIsKept()
    {
        var answer = await ReadAsync(HttpStatusCode.OK,
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n" +
            "data: {\"choices\":[{\"delta\":{\"content\":\"Once\"}}]}\n\n" +
            "data: {\"choices\":[{\"delta\":{\"content\":\" upon\"}}]}\n\n" +
            "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}\n\n" +
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n" +
            "data: [DONE]\n\n");

        Assert.Equal("Once upon", answer.Text);
        Assert.Equal(2, answer.TokenTimes.Count);
        Assert.Equal(2, answer.Timing.CompletionTokens);
    }

    [Fact]
    public async Task AStreamWithoutUsageIsRefused() =>
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(HttpStatusCode.OK, "data: {\"choices\":[{\"delta\":{\"content\":\"Once\"}}]}\n\ndata: [DONE]\n\n"));

    [Fact]
    public async Task AnErrorEventOrARefusalIsReportedWithItsText()
    {
        var streamed = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(HttpStatusCode.OK, "data: {\"error\":{\"code\":\"server_shutting_down\"}}\n\n"));
        Assert.Contains("server_shutting_down", streamed.Message);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(HttpStatusCode.TooManyRequests, "{\"error\":{\"code\":\"queue_full\"}}"));
        Assert.Contains("429", refused.Message);
    }

    private static async Task<StreamedCompletion> ReadAsync(HttpStatusCode status, string body)
    {
        using var http = new HttpClient(new CannedHandler(status, body)) { BaseAddress = new Uri("http://daemon.test/") };
        return await CompletionStream.SendChatAsync(http, "key", "{\"stream\":true}", 8, CancellationToken.None);
    }

    private sealed class CannedHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal("Bearer key", request.Headers.Authorization?.ToString());
            Assert.Equal("/v1/chat/completions", request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") });
        }
    }
}
