using System.Net;
using System.Net.Http.Json;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests;

/// <summary>
/// SIGTERM as systemd sends it, to the real daemon with streams running. The tiny random model, greedy, never ends a
/// turn by itself (it settles into a loop; sampled, it draws its end-of-text token now and then). It is fast: on a
/// quiet 2-core VM a 16,000-token stream ended within the 15 s shutdown timeout, so the long stream asks for 64,000
/// tokens in a 128k context (slower per token as it fills), which outlasts the timeout severalfold, while one asking for
/// 4 ends within it even on a loaded machine.
/// </summary>
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task OnSigtermTheDaemonDrainsLetsShortStreamsFinishEndsLongOnesWithAnErrorEventAndDoneAndExitsZero()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(
            TestModels.TinyRandomLlama2,
            arguments: ["--Daemon:ShutdownTimeout", "00:00:15", "--Inference:ContextSize", "131072", "--Inference:MaxSequences", "2"]);
        await daemon.WaitUntilReadyAsync(ReadyTimeout);
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(2));
        using var probe = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var longStream = await OpenStreamAsync(client, maxTokens: 64000);
        using var shortStream = await OpenStreamAsync(client, maxTokens: 4);
        var exited = daemon.TerminateAsync(TimeSpan.FromMinutes(1));

        await Poll.Until(async () => (await probe.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
        using var refused = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once", max_tokens = 2 });
        var shortEvents = await shortStream.ReadToEndAsync();
        var longEvents = await longStream.ReadToEndAsync();
        var exitCode = await exited;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("\"code\":\"model_not_ready\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains("\"finish_reason\":\"length\"", shortEvents, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", shortEvents, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", shortEvents, StringComparison.Ordinal);

        Assert.Contains("\"code\":\"server_shutting_down\"", longEvents, StringComparison.Ordinal);
        Assert.DoesNotContain("\"finish_reason\":\"length\"", longEvents, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", longEvents, StringComparison.Ordinal);

        Assert.Equal(0, exitCode);
        Assert.Contains("The daemon stopped cleanly after running for", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("failed to start", daemon.Output, StringComparison.Ordinal);
    }

    /// <summary>Starts a streamed completion and reads until its first piece of text, so its generation surely runs.</summary>
    private static async Task<OpenStream> OpenStreamAsync(HttpClient client, int maxTokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "Once upon a time", max_tokens = maxTokens, stream = true, temperature = 0 }),
        };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var read = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            read.Append(line).Append('\n');
            if (line.Contains("\"text\":\"", StringComparison.Ordinal) && !line.Contains("\"text\":\"\"", StringComparison.Ordinal))
            {
                break;
            }
        }

        return new OpenStream(response, reader, read);
    }

    private sealed class OpenStream(HttpResponseMessage response, StreamReader reader, System.Text.StringBuilder read) : IDisposable
    {
        /// <summary>Everything the stream sent, to its end; a reset connection throws here and fails the test.</summary>
        public async Task<string> ReadToEndAsync() => read.Append(await reader.ReadToEndAsync()).ToString();

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
