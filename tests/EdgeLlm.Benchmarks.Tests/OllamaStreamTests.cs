using System.Net;
using System.Text;
using EdgeLlm.Benchmarks.Ollama;

namespace EdgeLlm.Benchmarks.Tests;

/// <summary>The Ollama benchmark's NDJSON reader and byte count, over canned lines (a handler at the HTTP seam, no socket).</summary>
public sealed class OllamaStreamTests
{
    private const string Answer =
        "{\"model\":\"bench\",\"response\":\"Once\",\"done\":false}\n" +
        "\n" +
        "{\"model\":\"bench\",\"response\":\"\",\"done\":false}\n" +
        "{\"model\":\"bench\",\"response\":\" upon\",\"done\":false}\n" +
        "{\"model\":\"bench\",\"response\":\"\",\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":3,\"eval_count\":2}\n" +
        "{\"model\":\"bench\",\"response\":\" ignored\",\"done\":false}\n";

    [Fact]
    public async Task TextLinesAreStampedAndJoinedAndTheFinalCountsAreKept()
    {
        var answer = await ReadAsync(new CannedHandler(HttpStatusCode.OK, Answer));

        Assert.Equal("Once upon", answer.Text);
        Assert.Equal(2, answer.TokenTimes.Count);
        Assert.True(answer.TokenTimes[0] >= answer.Sent && answer.TokenTimes[1] >= answer.TokenTimes[0]);
        Assert.Equal(2, answer.Timing.CompletionTokens);
        Assert.Equal("length", answer.DoneReason);
    }

    [Fact]
    public async Task ChatLinesCarryTheirTextAsTheMessagesContent()
    {
        var answer = await ReadAsync(new CannedHandler(HttpStatusCode.OK,
            "{\"message\":{\"role\":\"assistant\",\"content\":\"Once\"},\"done\":false}\n" +
            "{\"message\":{\"role\":\"assistant\",\"content\":\" upon\"},\"done\":false}\n" +
            "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}\n", "/api/chat"), OllamaStream.Chat);

        Assert.Equal("Once upon", answer.Text);
        Assert.Equal(2, answer.TokenTimes.Count);
        Assert.Equal("stop", answer.DoneReason);
    }

    [Fact]
    public async Task AnErrorLineEndsTheReadWithItsText()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(new CannedHandler(HttpStatusCode.OK,
            "{\"response\":\"Once\",\"done\":false}\n{\"error\":\"The server is shutting down.\"}\n")));
        Assert.Contains("shutting down", failure.Message);
    }

    [Fact]
    public async Task AStreamWithoutTextOrWithoutItsFinalObjectIsRefused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(new CannedHandler(HttpStatusCode.OK, "{\"response\":\"Once\",\"done\":false}\n")));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(new CannedHandler(HttpStatusCode.OK,
            "{\"response\":\"\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":0}\n")));
    }

    [Fact]
    public async Task ARefusalIsReportedWithItsStatusAndBody()
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAsync(new CannedHandler(HttpStatusCode.NotFound, "{\"error\":\"model 'other' not found\"}")));
        Assert.Contains("404", failure.Message);
        Assert.Contains("model 'other' not found", failure.Message);
    }

    [Fact]
    public async Task TheBodyBytesReadAreCountedAndResetBetweenRequests()
    {
        using var bytes = new ResponseBodyBytes(new CannedHandler(HttpStatusCode.OK, Answer));
        await ReadAsync(bytes);
        Assert.InRange(bytes.Read, 1, Encoding.UTF8.GetByteCount(Answer));

        bytes.Reset();
        Assert.Equal(0, bytes.Read);
        using var http = new HttpClient(bytes, disposeHandler: false) { BaseAddress = new Uri("http://daemon.test/") };
        using var response = await http.GetAsync(new Uri("api/generate", UriKind.Relative));
        Assert.Equal(Answer, await response.Content.ReadAsStringAsync());
        Assert.Equal(Encoding.UTF8.GetByteCount(Answer), bytes.Read);
    }

    private static async Task<OllamaStreamedAnswer> ReadAsync(HttpMessageHandler handler, Uri? endpoint = null)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri("http://daemon.test/") };
        return await OllamaStream.SendAsync(http, "key", endpoint ?? OllamaStream.Generate, "{\"raw\":true}", 8, CancellationToken.None);
    }

    private sealed class CannedHandler(HttpStatusCode status, string body, string path = "/api/generate") : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(path, request.RequestUri!.AbsolutePath);
            if (request.Method == HttpMethod.Post)
            {
                Assert.Equal("Bearer key", request.Headers.Authorization?.ToString());
            }

            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") });
        }
    }
}
