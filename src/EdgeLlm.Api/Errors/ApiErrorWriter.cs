using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Errors;

/// <summary>
/// Writes an <see cref="ApiError"/>: the OpenAI error shape on <c>/v1/*</c> (so OpenAI SDKs surface it),
/// RFC 7807 problem details everywhere else. Both carry the stable code.
/// </summary>
public static class ApiErrorWriter
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which the code of the error written is kept (for the audit trail).</summary>
    public const string CodeItem = "edgellm:error_code";

    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Items[CodeItem] = error.Code;
        ApiMetrics.Error(error.Code, error.Status);
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = error.Status;
        if (error.RetryAfter is { } retry)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (IsOpenAiRoute(context.Request.Path))
        {
            response.ContentType = "application/json";
            var body = new OpenAiErrorEnvelope(new OpenAiErrorBody(error.Message, error.Type, error.Param, error.Code));
            return response.WriteAsync(JsonSerializer.Serialize(body, ErrorJsonContext.Default.OpenAiErrorEnvelope));
        }

        response.ContentType = "application/problem+json";
        var problem = new ProblemBody(
            "https://edgellm.dev/errors/" + error.Code,
            ReasonPhrase(error.Status),
            error.Status,
            error.Message,
            error.Code,
            error.Param);
        return response.WriteAsync(JsonSerializer.Serialize(problem, ErrorJsonContext.Default.ProblemBody));
    }

    /// <summary>The same error as a JSON string in the OpenAI shape, for an SSE <c>error</c> event.</summary>
    public static string ToOpenAiJson(ApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = new OpenAiErrorEnvelope(new OpenAiErrorBody(error.Message, error.Type, error.Param, error.Code));
        return JsonSerializer.Serialize(body, ErrorJsonContext.Default.OpenAiErrorEnvelope);
    }

    internal static bool IsOpenAiRoute(PathString path) => path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}

internal sealed record OpenAiErrorEnvelope([property: JsonPropertyName("error")] OpenAiErrorBody Error);

internal sealed record OpenAiErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string Code);

internal sealed record ProblemBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("param"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Param);

[JsonSerializable(typeof(OpenAiErrorEnvelope))]
[JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
