using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// The JSON types a schema allows: its <c>type</c> (a name or a non-empty array of names), or, without one, the
/// single type its type-specific keywords constrain (none: any value). A type-specific keyword that constrains none
/// of the types is refused rather than ignored.
/// </summary>
internal static class SchemaTypes
{
    /// <summary>The type names, or null for any value.</summary>
    public static IReadOnlyList<string>? Read(JsonElement schema, string path, IReadOnlyList<string> constraining)
    {
        var specific = constraining.Where(SchemaKeywords.TypeSpecific.ContainsKey).ToList();
        IReadOnlyList<string>? types;
        if (schema.TryGetProperty("type", out var type))
        {
            types = Names(type, path + "/type");
        }
        else
        {
            var kinds = specific.Select(k => SchemaKeywords.TypeSpecific[k]).Distinct(StringComparer.Ordinal).ToList();
            if (kinds.Count > 1)
            {
                throw SchemaRejectedException.At(path, "type", $"Keywords for several types ({string.Join(", ", kinds)}) need a type.");
            }

            types = kinds.Count == 1 ? kinds : null;
        }

        if (types is not null && specific.FirstOrDefault(k => !types.Any(t => SchemaKeywords.Constrains(SchemaKeywords.TypeSpecific[k], t))) is { } stray)
        {
            throw SchemaRejectedException.At(path + "/" + stray, stray, $"{stray} does not apply to type {string.Join(", ", types)}.");
        }

        return types;
    }

    private static List<string> Names(JsonElement type, string path)
    {
        var names = type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array when type.GetArrayLength() > 0 && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
                type.EnumerateArray().Select(t => t.GetString()!).ToList(),
            _ => throw SchemaRejectedException.At(path, "type", "type must be a type name or a non-empty array of type names."),
        };
        if (names.FirstOrDefault(n => !SchemaKeywords.TypeNames.Contains(n)) is { } unknown)
        {
            throw SchemaRejectedException.At(path, "type", $"{unknown} is not a JSON Schema type.");
        }

        return names.Distinct(StringComparer.Ordinal).Count() == names.Count
            ? names
            : throw SchemaRejectedException.At(path, "type", "type names must be unique.");
    }
}
