using System.Diagnostics;
using System.Text;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Offers a checked request to the model's scheduler and writes the answer: one JSON body, or
/// server-sent events ending in <c>data: [DONE]</c>. A client that disconnects cancels its generation,
/// which frees the sequence at the scheduler's next step.
/// </summary>
internal static class GenerationResponder
{
    private static readonly TimeSpan NotReadyRetry = TimeSpan.FromSeconds(5);

    // The scheduler copies this baggage onto its spans, so one request id runs from HTTP to decode.
    private const string InferenceMetricsBaggage = "edgellm.request_id";

    public static async Task RespondAsync(HttpContext http, LoadedModel model, GenerationRequest request, bool stream, bool includeUsage, ICompletionFormat format)
    {
        var aborted = http.RequestAborted;
        Activity.Current?.SetTag(InferenceMetricsBaggage, http.TraceIdentifier).SetBaggage(InferenceMetricsBaggage, http.TraceIdentifier);
        switch (model.Scheduler.TrySubmit(request, aborted))
        {
            case AdmissionResult.QueueFull full:
                await ApiErrorWriter.WriteAsync(http, new ApiError(429, ErrorCodes.QueueFull, "Every inference slot and queue place is taken; retry later.", RetryAfter: full.RetryAfter));
                return;
            case AdmissionResult.Unavailable unavailable:
                await ApiErrorWriter.WriteAsync(http, new ApiError(503, ErrorCodes.ModelNotReady, unavailable.Reason, RetryAfter: NotReadyRetry));
                return;
            case AdmissionResult.Admitted admitted:
                using (admitted.Stream)
                {
                    try
                    {
                        await (stream
                            ? StreamAsync(http, admitted.Stream, includeUsage, format)
                            : WholeAsync(http, admitted.Stream, format));
                    }
                    catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                    {
                        // The client went away; disposing the stream cancels the generation.
                    }
                }

                return;
        }
    }

    private static async Task WholeAsync(HttpContext http, GenerationStream generation, ICompletionFormat format)
    {
        var text = new StringBuilder();
        await foreach (var item in generation.ReadAllAsync(http.RequestAborted))
        {
            switch (item)
            {
                case TextDelta delta:
                    text.Append(delta.Text);
                    break;
                case GenerationFinished finished when Failure(finished.Reason) is { } error:
                    await ApiErrorWriter.WriteAsync(http, error);
                    return;
                case GenerationFinished finished:
                    http.Response.ContentType = "application/json";
                    await http.Response.WriteAsync(format.Complete(text.ToString(), FinishReasonName(finished.Reason), Usage(finished.Usage)), http.RequestAborted);
                    return;
            }
        }
    }

    private static async Task StreamAsync(HttpContext http, GenerationStream generation, bool includeUsage, ICompletionFormat format)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        if (format.Opening() is { } opening)
        {
            await SendAsync(response, opening, http.RequestAborted);
        }
        else
        {
            await response.StartAsync(http.RequestAborted);
        }

        await foreach (var item in generation.ReadAllAsync(http.RequestAborted))
        {
            switch (item)
            {
                case TextDelta delta:
                    await SendAsync(response, format.Delta(delta.Text), http.RequestAborted);
                    break;
                case GenerationFinished finished when Failure(finished.Reason) is { } error:
                    await SendAsync(response, ApiErrorWriter.ToOpenAiJson(error), http.RequestAborted);
                    await SendAsync(response, "[DONE]", http.RequestAborted);
                    return;
                case GenerationFinished finished:
                    var usage = Usage(finished.Usage);
                    await SendAsync(response, format.Closing(FinishReasonName(finished.Reason), usage), http.RequestAborted);
                    if (includeUsage)
                    {
                        await SendAsync(response, format.UsageOnly(usage), http.RequestAborted);
                    }

                    await SendAsync(response, "[DONE]", http.RequestAborted);
                    return;
            }
        }
    }

    private static async Task SendAsync(HttpResponse response, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: " + data + "\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static ApiError? Failure(FinishReason reason) => reason switch
    {
        FinishReason.Timeout => new ApiError(504, ErrorCodes.RequestTimeout, "The request ran past the configured wall-clock limit (Inference:RequestTimeout)."),
        FinishReason.Error => new ApiError(500, ErrorCodes.InternalError, "The inference engine failed while decoding this request."),
        FinishReason.Cancelled => new ApiError(503, ErrorCodes.ModelNotReady, "The daemon is shutting down; the request was cancelled.", RetryAfter: NotReadyRetry),
        _ => null,
    };

    private static string FinishReasonName(FinishReason reason) => reason == FinishReason.Length ? "length" : "stop";

    private static UsageDto Usage(GenerationUsage usage) =>
        new(usage.PromptTokens, usage.CompletionTokens, usage.PromptTokens + usage.CompletionTokens);
}
