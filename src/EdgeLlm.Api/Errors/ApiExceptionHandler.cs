using System.Text.Json.Nodes;
using EdgeLlm.Telemetry;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Errors;

/// <summary>
/// The one place exceptions become responses. Bad requests Kestrel detects (oversized or malformed
/// bodies) are 4xx with a stable code; anything else is a broken invariant: logged, answered 500
/// <c>internal_error</c> without a stack trace or a path.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger, TelemetryEvents events) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                new ApiError(413, ErrorCodes.RequestTooLarge, "The request body is larger than the configured limit."),
            BadHttpRequestException bad =>
                new ApiError(bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, ErrorCodes.InvalidRequest, "The request is malformed."),
            _ => null,
        };
        if (error is null)
        {
            ApiLog.Unhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
            events.Write("error", new JsonObject
            {
                ["code"] = ErrorCodes.InternalError,
                ["route"] = (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText,
                ["exception"] = exception.GetType().FullName,
            });
            error = new ApiError(500, ErrorCodes.InternalError, "An internal error occurred. It has been logged.");
        }

        await error.ExecuteAsync(httpContext);
        return true;
    }
}
