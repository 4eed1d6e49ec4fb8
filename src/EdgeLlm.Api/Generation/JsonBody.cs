using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Generation;

/// <summary>Reads a JSON request body as a typed result: the value, or a 4xx error that says what is wrong.</summary>
internal static class JsonBody
{
    /// <param name="request">The request whose body is read.</param>
    /// <param name="typeInfo">The body's type, from the endpoint's JSON context.</param>
    /// <param name="anyContentType">
    /// Reads the body as JSON whatever its Content-Type says (Ollama's API does: its documented <c>curl -d</c> calls send
    /// a form type); otherwise anything but JSON is 415.
    /// </param>
    public static async Task<(T? Value, ApiError? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, bool anyContentType = false)
        where T : class
    {
        if (!anyContentType && !request.HasJsonContentType())
        {
            return (null, new ApiError(415, ErrorCodes.UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json)."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted);
            return value is null
                ? (null, new ApiError(400, ErrorCodes.InvalidJson, "The request body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException ex) when (IsInvalidText(ex))
        {
            return (null, TextField.Invalid(Field(ex.Path)));
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? "" : $" at {ex.Path}";
            return (null, new ApiError(400, ErrorCodes.InvalidJson, $"The request body is not valid JSON for this endpoint{where}."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, new ApiError(413, ErrorCodes.RequestTooLarge, "The request body is larger than the configured limit."));
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The body ended before its declared length, or its chunked framing broke: the client's fault.
            return (null, new ApiError(400, ErrorCodes.InvalidJson, "The request body ended early or is malformed."));
        }
    }

    /// <summary>
    /// A string property holding a lone surrogate or bytes that are not UTF-8: the serializer wraps the reader's
    /// InvalidOperationException, whose message names UTF-8 or UTF-16 (a wrong token type wraps one that does not).
    /// </summary>
    private static bool IsInvalidText(JsonException ex) =>
        ex.InnerException is InvalidOperationException inner
        && (inner.InnerException is System.Text.DecoderFallbackException || inner.Message.Contains("UTF", StringComparison.Ordinal));

    /// <summary><c>$.messages[0].role</c> as the API names it: <c>messages[0].role</c>.</summary>
    private static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
