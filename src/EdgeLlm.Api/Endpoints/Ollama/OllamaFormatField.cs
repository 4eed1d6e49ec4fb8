using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Endpoints.Ollama;

/// <summary>
/// Ollama's <c>format</c>: <c>"json"</c> is <c>/v1</c>'s <c>response_format: json_object</c>, a JSON Schema object is
/// its <c>json_schema</c>; both go through the same reader, grammar compiler and cache, and a schema it cannot honour is
/// refused the same way, named inside <c>format</c>. The equivalent <c>response_format</c> is kept for the router,
/// whose rules may match on it.
/// </summary>
internal static class OllamaFormatField
{
    private const string SchemaParam = "response_format.json_schema.schema";

    public static (OutputConstraint? Constraint, JsonElement? ResponseFormat, ApiError? Error) Read(JsonElement? format, GrammarCache grammars)
    {
        if (format is null or { ValueKind: JsonValueKind.Null } || format.Value is { ValueKind: JsonValueKind.String } empty && empty.ValueEquals(""))
        {
            return (null, null, null);
        }

        JsonElement responseFormat;
        if (format.Value is { ValueKind: JsonValueKind.String } text && text.ValueEquals("json"))
        {
            responseFormat = Parse("""{"type":"json_object"}""");
        }
        else if (format.Value is { ValueKind: JsonValueKind.Object } schema)
        {
            responseFormat = Parse("""{"type":"json_schema","json_schema":{"name":"format","schema":""" + schema.GetRawText() + "}}");
        }
        else
        {
            return (null, null, new ApiError(400, ErrorCodes.InvalidParameter, "format must be \"json\" or a JSON Schema object.", "format"));
        }

        var (constraint, error) = ResponseFormatField.Read(responseFormat, grammars);
        return error is null ? (constraint, responseFormat, null) : (null, null, InFormat(error));
    }

    private static ApiError InFormat(ApiError error) =>
        error.Param is { } param && param.StartsWith(SchemaParam, StringComparison.Ordinal) ? error with { Param = "format" + param[SchemaParam.Length..] } : error with { Param = "format" };

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 96 });
        return document.RootElement.Clone();
    }
}
