using System.Text.Json.Nodes;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Storage;
using EdgeLlm.Telemetry;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Errors;

/// <summary>
/// The one place exceptions become responses. Bad requests Kestrel detects (oversized or malformed
/// bodies) are 4xx with a stable code; a full data disk is 507 <c>insufficient_storage</c> (reported to
/// <see cref="DataDiskStatus"/>); anything else is a broken invariant: logged, answered 500
/// <c>internal_error</c> without a stack trace or a path. Writing the error's telemetry record never stands in
/// the way of the answer: when it fails (the outbox's disk is full too), that is counted and the answer goes out.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger, TelemetryEvents events, DataDiskStatus disk) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new ApiError(413, ErrorCodes.RequestTooLarge, "The request body is larger than the configured limit."),
            BadHttpRequestException bad =>
                new ApiError(bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, ErrorCodes.InvalidRequest, "The request is malformed."),
            _ when DiskFull.Is(exception) =>
                ApiError.InsufficientStorage("The data disk is full; nothing was written. Inference still works; free space on the device and retry."),
            _ => null,
        };
        if (error?.Code == ErrorCodes.InsufficientStorage)
        {
            disk.ReportFull();
            ErrorsLog.DiskFull(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", exception.GetType().Name);
        }
        else if (error is null)
        {
            ApiLog.Unhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
            Record(httpContext, exception);
            error = new ApiError(500, ErrorCodes.InternalError, "An internal error occurred. It has been logged.");
        }

        await error.ExecuteAsync(httpContext);
        return true;
    }

    private void Record(HttpContext httpContext, Exception exception)
    {
        try
        {
            events.Write("error", new JsonObject
            {
                ["code"] = ErrorCodes.InternalError,
                ["route"] = (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText,
                ["exception"] = exception.GetType().FullName,
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The answer matters more than its record: a full or broken outbox must not turn a 500 into an empty one.
            ErrorsMetrics.RecordLost("telemetry");
            ErrorsLog.RecordLost(logger, "telemetry", ex.GetType().Name);
        }
    }
}
