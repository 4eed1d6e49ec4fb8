using System.Diagnostics;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Offers a checked request to the model's scheduler: refused at once (queue full, model unavailable), or
/// admitted and answered as one JSON body or as server-sent events. A client that disconnects cancels its
/// generation, which frees the sequence at the scheduler's next step.
/// </summary>
internal static class GenerationResponder
{
    // The scheduler copies this baggage onto its spans, so one request id runs from HTTP to decode.
    private const string InferenceMetricsBaggage = "edgellm.request_id";

    /// <summary>The admitted generation, or the refusal to answer with (queue full, model unavailable).</summary>
    public static (GenerationStream? Generation, ApiError? Refused) Admit(HttpContext http, LoadedModel model, GenerationRequest request)
    {
        Activity.Current?.SetTag(InferenceMetricsBaggage, http.TraceIdentifier).SetBaggage(InferenceMetricsBaggage, http.TraceIdentifier);
        var owned = request with
        {
            // Without authentication every caller is one owner; a key always has a tenant.
            Owner = http.User.GetApiKeyId() is { } key ? new RequestOwner(http.User.GetTenant() ?? key, key) : RequestOwner.Anonymous,
            StalledReaderTimeout = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.StalledClientTimeout,
        };
        return model.Scheduler.TrySubmit(owned, http.RequestAborted) switch
        {
            AdmissionResult.QueueFull { OwnShare: true } full => (null, new ApiError(
                429, ErrorCodes.QueueFull, "This API key (or its tenant) already has every request its share of this model allows running or waiting; retry later.", RetryAfter: full.RetryAfter)),
            AdmissionResult.QueueFull full => (null, new ApiError(429, ErrorCodes.QueueFull, "Every inference slot and queue place is taken; retry later.", RetryAfter: full.RetryAfter)),
            AdmissionResult.Unavailable unavailable => (null, ApiError.ModelNotReady(unavailable.Reason)),
            AdmissionResult.Admitted admitted => (admitted.Stream, null),
            _ => throw new InvalidOperationException("Unknown admission result."),
        };
    }

    /// <summary>The error a generation that did not run to a stop or its length ended with, or null.</summary>
    internal static ApiError? Failure(FinishReason reason) => reason switch
    {
        FinishReason.Timeout => new ApiError(504, ErrorCodes.RequestTimeout, "The request ran past the configured wall-clock limit (Inference:RequestTimeout)."),
        FinishReason.Error => new ApiError(500, ErrorCodes.InternalError, "The inference engine failed while decoding this request."),
        FinishReason.Cancelled => ApiError.ModelNotReady("The daemon is shutting down; the request was cancelled."),
        FinishReason.Shutdown => new ApiError(503, ErrorCodes.ServerShuttingDown, "The daemon is shutting down and this generation ran past its shutdown timeout; retry it."),
        FinishReason.ClientStalled => new ApiError(408, ErrorCodes.RequestTimeout, "The client stopped reading the answer (Api:StalledClientTimeout)."),
        _ => null,
    };

    internal static string FinishReasonName(FinishReason reason) => reason switch
    {
        FinishReason.Length => "length",
        FinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };

    internal static UsageDto Usage(GenerationUsage usage) =>
        new(usage.PromptTokens, usage.CompletionTokens, usage.PromptTokens + usage.CompletionTokens, new PromptTokensDetailsDto(usage.CachedPromptTokens));
}
