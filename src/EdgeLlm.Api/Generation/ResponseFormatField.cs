using System.Text.Json;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// The <c>response_format</c> field: <c>text</c> (or absent) leaves the output free; <c>json_object</c> binds it to
/// any JSON object; <c>json_schema</c> to the schema's documents, through a grammar compiled once per schema and
/// kept in the <see cref="GrammarCache"/>. A schema the compiler cannot honour is refused with the path inside the
/// schema and the keyword, never half-honoured.
/// </summary>
internal static class ResponseFormatField
{
    private const string Param = "response_format";

    public static (OutputConstraint? Constraint, ApiError? Error) Read(JsonElement? responseFormat, GrammarCache grammars)
    {
        if (responseFormat is not { ValueKind: not JsonValueKind.Null } format)
        {
            return (null, null);
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return Fail(Param, "response_format must be an object with a string type: text, json_object or json_schema.");
        }

        var (type, typeError) = TextField.Read(typeElement, Param + ".type");
        return type switch
        {
            _ when typeError is not null => (null, typeError),
            "text" => (null, null),
            "json_object" => (new OutputConstraint(JsonSchemaGrammar.AnyJsonObject), null),
            "json_schema" => ReadSchema(format, grammars),
            _ => Fail(Param + ".type", "response_format.type must be text, json_object or json_schema."),
        };
    }

    private static (OutputConstraint?, ApiError?) ReadSchema(JsonElement format, GrammarCache grammars)
    {
        const string Field = Param + ".json_schema";
        if (!format.TryGetProperty("json_schema", out var jsonSchema) || jsonSchema.ValueKind != JsonValueKind.Object)
        {
            return Fail(Field, "response_format json_schema needs a json_schema object with a schema.");
        }

        if (!jsonSchema.TryGetProperty("schema", out var schema) || schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True))
        {
            return Fail(Field + ".schema", "response_format.json_schema.schema must be a JSON Schema object.");
        }

        var strict = jsonSchema.TryGetProperty("strict", out var strictElement) && strictElement.ValueKind == JsonValueKind.True;
        var compiled = grammars.GetOrCompile(schema, strict);
        return compiled.Rejection is { } rejection
            ? Fail($"{Field}.schema{SchemaPath(rejection.Path)}", $"The schema cannot be honoured at {(rejection.Path.Length == 0 ? "its root" : rejection.Path)} ({rejection.Keyword}): {rejection.Message}")
            : (new OutputConstraint(compiled.Grammar!), null);
    }

    /// <summary>A schema path as a JSON pointer fragment after the field name: <c>#/properties/a</c>.</summary>
    internal static string SchemaPath(string path) => path.Length == 0 ? "" : "#" + path;

    private static (OutputConstraint?, ApiError?) Fail(string param, string message) =>
        (null, new ApiError(400, ErrorCodes.InvalidParameter, message, param));
}
