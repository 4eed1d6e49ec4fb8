using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// A streamed answer to an admitted generation, as server-sent events: the format's opening chunk, a chunk
/// per piece of text, the closing chunk (and the usage chunk when asked for), then <c>data: [DONE]</c>. A
/// generation that fails after the stream started ends with an OpenAI error event, then <c>[DONE]</c>. A format framed
/// as newline-delimited JSON (Ollama's) gets the same messages one per line, without <c>[DONE]</c>: its closing object
/// says it is done, and a failure ends the stream with the format's error object. When the
/// scheduler stops the generation because the client stopped taking it, the connection is dropped: requests the client
/// pipelined behind this one would otherwise each take a sequence in turn.
/// </summary>
internal sealed class GenerationStreamResult(GenerationEvents generation, bool includeUsage, ICompletionFormat format) : IResult
{
    // Linux doubles what is asked: 32 KiB of kernel buffer.
    private const int StreamSendBufferBytes = 16 * 1024;

    private readonly Lock _gate = new();
    private bool _answered;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var aborted = httpContext.RequestAborted;
        BoundSendBuffer(httpContext);
        // Not awaited: it ends with the generation, which a hung decode loop may never end.
        _ = DropWhenStalledAsync(httpContext);
        using (generation)
        {
            try
            {
                await StreamAsync(httpContext.Response, aborted);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client went away (or was dropped); disposing the stream cancels the generation.
            }
            finally
            {
                lock (_gate)
                {
                    _answered = true;
                }
            }
        }
    }

    /// <summary>
    /// Linux lets a socket's send buffer grow to 4 MB: thousands of tokens a client that stopped reading never took before
    /// the stream's writer would wait. Bounded, it waits (and the scheduler sees its text untaken) after a few hundred.
    /// Still plenty for a LAN: 32 KiB in flight carries tens of MB/s over a 1 ms round trip. The bound stays for the rest
    /// of the connection's life (later requests on it are answered the same way).
    /// </summary>
    private static void BoundSendBuffer(HttpContext httpContext)
    {
        if (httpContext.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            socket.SendBufferSize = StreamSendBufferBytes;
        }
    }

    private async Task DropWhenStalledAsync(HttpContext httpContext)
    {
        if (!await generation.Stalled)
        {
            return;
        }

        // Under the lock: once the answer is over the context may already serve another request.
        lock (_gate)
        {
            if (!_answered)
            {
                httpContext.Abort();
            }
        }
    }

    private async Task StreamAsync(HttpResponse response, CancellationToken aborted)
    {
        response.ContentType = format.Framing == StreamFraming.ServerSentEvents ? "text/event-stream" : "application/x-ndjson";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        if (format.Opening() is { } opening)
        {
            await SendAsync(response, opening, aborted);
        }
        else
        {
            // Sent now, not with the first text: a client whose request waits for a sequence knows it was admitted.
            await response.StartAsync(aborted);
            await response.Body.FlushAsync(aborted);
        }

        await foreach (var item in generation.ReadAllAsync(aborted))
        {
            switch (item)
            {
                case TextDelta delta when format.Delta(delta.Text, delta.Logprobs) is { } chunk:
                    await SendAsync(response, chunk, aborted);
                    break;
                case GenerationFinished finished when GenerationResponder.Failure(finished.Reason) is { } error:
                    await SendAsync(response, format.StreamError(error), aborted);
                    await SendDoneAsync(response, aborted);
                    return;
                case GenerationFinished finished:
                    format.Finished(finished.Usage);
                    var usage = GenerationResponder.Usage(finished.Usage);
                    foreach (var closing in format.Closing(GenerationResponder.FinishReasonName(finished.Reason), usage))
                    {
                        await SendAsync(response, closing, aborted);
                    }

                    if (includeUsage)
                    {
                        await SendAsync(response, format.UsageOnly(usage), aborted);
                    }

                    await SendDoneAsync(response, aborted);
                    return;
            }
        }
    }

    private async Task SendAsync(HttpResponse response, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync(format.Framing == StreamFraming.ServerSentEvents ? "data: " + data + "\n\n" : data + "\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    // Server-sent events end with [DONE]; a newline-delimited stream's last object says so itself.
    private Task SendDoneAsync(HttpResponse response, CancellationToken cancellationToken) =>
        format.Framing == StreamFraming.ServerSentEvents ? SendAsync(response, "[DONE]", cancellationToken) : Task.CompletedTask;
}
