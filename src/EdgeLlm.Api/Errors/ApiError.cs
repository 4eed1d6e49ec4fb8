using System.Globalization;
using System.Text.Json;
using EdgeLlm.Api.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EdgeLlm.Api.Errors;

/// <summary>
/// An error the API returns to a client: HTTP status, a stable machine-readable code and a
/// human-readable message that never contains a stack trace or a file path. As a result it writes
/// itself: the OpenAI error shape on <c>/v1/*</c> (so OpenAI SDKs surface it), Ollama's <c>{"error": "…"}</c> on
/// <c>/api/*</c> (so Ollama clients do), RFC 7807 problem details everywhere else; each carries the stable code.
/// </summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Code">Stable code from <see cref="ErrorCodes"/>.</param>
/// <param name="Message">What went wrong, for a person.</param>
/// <param name="Param">The request parameter at fault, when there is one.</param>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> when the client should try again later.</param>
public sealed record ApiError(int Status, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null) : IResult
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which the code of the error written is kept (for the audit trail).</summary>
    public const string CodeItem = "edgellm:error_code";

    /// <summary>How long a client is asked to wait while a model loads or the daemon stops: 5 s.</summary>
    private static readonly TimeSpan NotReadyRetry = TimeSpan.FromSeconds(5);

    /// <summary>503 <c>model_not_ready</c> with <c>Retry-After</c>: the model is still loading, or the daemon is stopping.</summary>
    public static ApiError ModelNotReady(string message) => new(503, ErrorCodes.ModelNotReady, message, RetryAfter: NotReadyRetry);

    /// <summary>507 <c>insufficient_storage</c>: the data disk is full, so nothing was written; reading and inference still work.</summary>
    /// <summary>The guardrail policy blocked the request: 400 naming the rule (a deny rule, a PII family or <c>guard:&lt;category&gt;</c>), never the text.</summary>
    public static ApiError ContentBlocked(string rule, string where) =>
        new(400, ErrorCodes.ContentBlocked, $"The guardrail policy blocks {where} (rule '{rule}').", where == "the retrieved context" ? "retrieval" : null);

    public static ApiError InsufficientStorage(string message) => new(507, ErrorCodes.InsufficientStorage, message);

    /// <summary>The OpenAI error <c>type</c> that goes with the status.</summary>
    public string Type => Status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>
    /// Counts the error by its code, keeps the code for the audit trail, and writes it with its status and
    /// <c>Retry-After</c>; on a response already started (a stream) only the count and the code are kept.
    /// </summary>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Items[CodeItem] = Code;
        ApiMetrics.Error(Code, Status);
        var response = httpContext.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = Status;
        if (RetryAfter is { } retry)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (IsOpenAiRoute(httpContext.Request.Path))
        {
            response.ContentType = "application/json";
            return response.WriteAsync(ToOpenAiJson());
        }

        if (IsOllamaRoute(httpContext.Request.Path))
        {
            response.ContentType = "application/json";
            return response.WriteAsync(ToOllamaJson());
        }

        response.ContentType = "application/problem+json";
        var problem = new ProblemDetailsResponse("https://edgellm.dev/errors/" + Code, ReasonPhrase(Status), Status, Message, Code, Param);
        return response.WriteAsync(JsonSerializer.Serialize(problem, ApiJsonContext.Default.ProblemDetailsResponse));
    }

    /// <summary>The error as JSON in the OpenAI shape, also for an SSE <c>error</c> event.</summary>
    public string ToOpenAiJson() =>
        JsonSerializer.Serialize(new OpenAiErrorResponse(new OpenAiError(Message, Type, Param, Code)), ApiJsonContext.Default.OpenAiErrorResponse);

    /// <summary>The error as JSON in Ollama's shape (with the stable code beside the message), also for a stream's last line.</summary>
    public string ToOllamaJson() =>
        JsonSerializer.Serialize(new OllamaErrorResponse(Message, Code, Param), OllamaJsonContext.Default.OllamaErrorResponse);

    private static bool IsOpenAiRoute(PathString path) => path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    private static bool IsOllamaRoute(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static string ReasonPhrase(int status) => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
