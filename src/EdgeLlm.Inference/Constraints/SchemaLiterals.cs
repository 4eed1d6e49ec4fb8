using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// <c>enum</c> and <c>const</c>: each value written as one compact JSON literal (strings escaped only where JSON
/// requires). Beside them only <c>type</c> is accepted, and it filters the values; a value of no allowed type is
/// dropped, and a list left empty is refused.
/// </summary>
internal static class SchemaLiterals
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static string Compile(JsonElement schema, string path, IReadOnlyList<string>? types, IReadOnlyList<string> constraining)
    {
        var keyword = schema.TryGetProperty("enum", out _) ? "enum" : "const";
        if (constraining.FirstOrDefault(k => k is not ("type" or "enum" or "const")) is { } other)
        {
            throw SchemaRejectedException.At(path + "/" + other, other, $"{other} cannot be combined with {keyword}.");
        }

        if (constraining.Contains("enum") && constraining.Contains("const"))
        {
            throw SchemaRejectedException.At(path + "/const", "const", "const cannot be combined with enum.");
        }

        var values = Values(schema, path, keyword);
        var literals = values.Where(v => types is null || types.Any(t => HasType(v, t))).Select(v => GbnfText.Literal(Text(v))).Distinct(StringComparer.Ordinal).ToList();
        return literals.Count switch
        {
            0 => throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"No {keyword} value has an allowed type."),
            1 => literals[0],
            _ => "(" + string.Join(" | ", literals) + ")",
        };
    }

    public static IReadOnlyList<JsonElement> Values(JsonElement schema, string path, string keyword)
    {
        var value = schema.GetProperty(keyword);
        if (keyword == "const")
        {
            return [value];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw SchemaRejectedException.At(path + "/enum", "enum", "enum must be a non-empty array.");
        }

        return value.GetArrayLength() > SchemaLimits.MaxEnumValues
            ? throw SchemaRejectedException.At(path + "/enum", "enum", $"enum with more than {SchemaLimits.MaxEnumValues} values is not supported.")
            : value.EnumerateArray().ToList();
    }

    /// <summary>The value as compact JSON text.</summary>
    public static string Text(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static bool HasType(JsonElement value, string type) => (type, value.ValueKind) switch
    {
        ("null", JsonValueKind.Null) => true,
        ("boolean", JsonValueKind.True or JsonValueKind.False) => true,
        ("string", JsonValueKind.String) => true,
        ("number", JsonValueKind.Number) => true,
        ("integer", JsonValueKind.Number) => value.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        ("array", JsonValueKind.Array) => true,
        ("object", JsonValueKind.Object) => true,
        _ => false,
    };
}
