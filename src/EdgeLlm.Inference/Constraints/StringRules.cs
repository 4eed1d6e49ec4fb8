using System.Globalization;
using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// <c>string</c> with <c>minLength</c>, <c>maxLength</c>, <c>format</c> or <c>pattern</c> (one of the three kinds
/// per schema). Lengths count characters, an escape as one: the first <c>minLength</c> characters are
/// <see cref="JsonPrimitives.CountedChar"/>s and a bounded string has no character outside the Basic Multilingual
/// Plane, so the length holds whether a validator counts code points, UTF-16 units or graphemes.
/// </summary>
internal static class StringRules
{
    public static string Compile(JsonElement schema, string path, GbnfRules rules, JsonPrimitives primitives)
    {
        var hasFormat = schema.TryGetProperty("format", out var format);
        var hasPattern = schema.TryGetProperty("pattern", out var pattern);
        var minLength = Length(schema, path, "minLength");
        var maxLength = Length(schema, path, "maxLength");
        if (hasFormat && (hasPattern || minLength is not null || maxLength is not null))
        {
            throw SchemaRejectedException.At(path + "/format", "format", "format cannot be combined with pattern, minLength or maxLength.");
        }

        if (hasPattern && (minLength is not null || maxLength is not null))
        {
            throw SchemaRejectedException.At(path + "/pattern", "pattern", "pattern cannot be combined with minLength or maxLength.");
        }

        string body;
        if (hasFormat)
        {
            var name = format.ValueKind == JsonValueKind.String ? format.GetString()! : null;
            body = (name is null ? null : StringFormats.Body(name, rules))
                ?? throw SchemaRejectedException.At(path + "/format", "format",
                    $"Unsupported format; supported: {string.Join(", ", StringFormats.Supported)}.");
        }
        else if (hasPattern)
        {
            body = pattern.ValueKind == JsonValueKind.String
                ? RegexSubset.Translate(pattern.GetString()!, path + "/pattern", rules)
                : throw SchemaRejectedException.At(path + "/pattern", "pattern", "pattern must be a string.");
        }
        else if (minLength is null && maxLength is null)
        {
            return primitives.String;
        }
        else
        {
            body = Lengths(minLength ?? 0, maxLength, path, rules, primitives);
        }

        return "\"\\\"\" " + body + " \"\\\"\"";
    }

    private static string Lengths(int min, int? max, string path, GbnfRules rules, JsonPrimitives primitives)
    {
        if (max < min)
        {
            throw SchemaRejectedException.At(path + "/maxLength", "maxLength", "maxLength is smaller than minLength.");
        }

        var parts = new List<string>();
        if (min > 0)
        {
            parts.Add(rules.Repeat(primitives.CountedChar, Repeat(min, min), "counted"));
        }

        if (max is null)
        {
            parts.Add(rules.Repeat(primitives.Char, "*", "chars"));
        }
        else if (max > min)
        {
            parts.Add(rules.Repeat(primitives.BmpChar, Repeat(0, max.Value - min), "bmp-chars"));
        }

        return parts.Count == 0 ? "\"\"" : string.Join(" ", parts);
    }

    private static string Repeat(int min, int max) =>
        min == max ? "{" + min.ToString(CultureInfo.InvariantCulture) + "}" : "{" + min.ToString(CultureInfo.InvariantCulture) + "," + max.ToString(CultureInfo.InvariantCulture) + "}";

    /// <summary>A length or item-count bound: a non-negative whole number up to <see cref="SchemaLimits.MaxLengthBound"/>.</summary>
    public static int? Length(JsonElement schema, string path, string keyword)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number) || number < 0 || number != decimal.Truncate(number))
        {
            throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"{keyword} must be a non-negative integer.");
        }

        return number > SchemaLimits.MaxLengthBound
            ? throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"{keyword} above {SchemaLimits.MaxLengthBound} is not supported.")
            : (int)number;
    }
}
