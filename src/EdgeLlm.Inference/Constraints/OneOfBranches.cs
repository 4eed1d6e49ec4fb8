using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// <c>oneOf</c> demands that exactly one branch matches, which a grammar cannot check. It is accepted when no value
/// can match two branches: the branches allow different JSON types, or they are <c>enum</c>/<c>const</c> lists with
/// no value in common, or they are objects that all require one property whose <c>const</c>/<c>enum</c> values
/// differ between branches (a discriminator). Otherwise it is refused with keyword <c>oneOf</c> (use <c>anyOf</c>).
/// </summary>
internal static class OneOfBranches
{
    [Flags]
    private enum Kinds
    {
        None = 0,
        Null = 1,
        Boolean = 2,
        Integer = 4,
        Fraction = 8,
        String = 16,
        Array = 32,
        Object = 64,
        Any = 127,
    }

    public static void RequireDisjoint(JsonElement branches, string path, SchemaReferences references)
    {
        var resolved = branches.EnumerateArray().Select(b => Resolve(b, references)).ToList();
        var kinds = resolved.Select(b => KindsOf(b, references, 0)).ToList();
        if (Pairwise(kinds, (a, b) => (a & b) == Kinds.None)
            || Pairwise(resolved.Select(Literals).ToList(), (a, b) => a is not null && b is not null && !Overlap(a, b))
            || HasDiscriminator(resolved, references))
        {
            return;
        }

        throw SchemaRejectedException.At(path, "oneOf",
            "oneOf branches that one value could match together are not supported (branches need different types, different literal values or a discriminating const property); use anyOf.");
    }

    private static bool Pairwise<T>(List<T> items, Func<T, T, bool> disjoint)
    {
        for (var i = 0; i < items.Count; i++)
        {
            for (var j = i + 1; j < items.Count; j++)
            {
                if (!disjoint(items[i], items[j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool HasDiscriminator(List<JsonElement> branches, SchemaReferences references)
    {
        var first = branches[0];
        if (first.ValueKind != JsonValueKind.Object || !first.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var candidate in properties.EnumerateObject().Select(p => p.Name))
        {
            var values = branches.Select(b => RequiredLiterals(b, candidate, references)).ToList();
            if (values.All(v => v is not null) && Pairwise(values, (a, b) => !Overlap(a!, b!)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The literal values a branch allows for a property it requires, or null.</summary>
    private static List<JsonElement>? RequiredLiterals(JsonElement branch, string property, SchemaReferences references)
    {
        return branch.ValueKind == JsonValueKind.Object
            && branch.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            && required.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && r.GetString() == property)
            && branch.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty(property, out var schema)
            ? Literals(Resolve(schema, references))
            : null;
    }

    private static List<JsonElement>? Literals(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return [constant];
        }

        return schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().ToList()
            : null;
    }

    private static bool Overlap(List<JsonElement> a, List<JsonElement> b) => a.Any(x => b.Any(y => JsonElement.DeepEquals(x, y)));

    private static JsonElement Resolve(JsonElement schema, SchemaReferences references)
    {
        for (var hops = 0; hops <= SchemaLimits.MaxDepth; hops++)
        {
            if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("$ref", out var reference)
                || reference.ValueKind != JsonValueKind.String || references.TryResolve(reference.GetString()!) is not { } target)
            {
                return schema;
            }

            schema = target;
        }

        return schema;
    }

    private static Kinds KindsOf(JsonElement schema, SchemaReferences references, int depth)
    {
        schema = Resolve(schema, references);
        if (schema.ValueKind != JsonValueKind.Object || depth > SchemaLimits.MaxDepth)
        {
            return schema.ValueKind == JsonValueKind.False ? Kinds.None : Kinds.Any;
        }

        foreach (var keyword in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(keyword, out var branches) && branches.ValueKind == JsonValueKind.Array)
            {
                return branches.EnumerateArray().Aggregate(Kinds.None, (all, b) => all | KindsOf(b, references, depth + 1));
            }
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return Of(constant);
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            return values.EnumerateArray().Aggregate(Kinds.None, (all, v) => all | Of(v));
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var names = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.ToString()) : [type.ToString()];
            return names.Aggregate(Kinds.None, (all, name) => all | Named(name));
        }

        var inferred = schema.EnumerateObject().Where(p => SchemaKeywords.TypeSpecific.ContainsKey(p.Name)).Select(p => SchemaKeywords.TypeSpecific[p.Name]).Distinct().ToList();
        return inferred.Count == 1 ? Named(inferred[0]) : Kinds.Any;
    }

    private static Kinds Named(string type) => type switch
    {
        "null" => Kinds.Null,
        "boolean" => Kinds.Boolean,
        "integer" => Kinds.Integer,
        "number" => Kinds.Integer | Kinds.Fraction,
        "string" => Kinds.String,
        "array" => Kinds.Array,
        "object" => Kinds.Object,
        _ => Kinds.Any,
    };

    private static Kinds Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => Kinds.Null,
        JsonValueKind.True or JsonValueKind.False => Kinds.Boolean,
        JsonValueKind.Number => SchemaLiterals.HasType(value, "integer") ? Kinds.Integer : Kinds.Fraction,
        JsonValueKind.String => Kinds.String,
        JsonValueKind.Array => Kinds.Array,
        _ => Kinds.Object,
    };
}
