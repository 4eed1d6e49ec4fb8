using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// <c>object</c> with <c>properties</c>, <c>required</c> and <c>additionalProperties</c>. Members come in a fixed
/// order: the required properties in declaration order (then required names that only
/// <c>additionalProperties</c> allows, in <c>required</c> order), then each optional property, in declaration
/// order, present or not. Without <c>additionalProperties</c> (or with <c>false</c>) no other key is generated, in
/// strict and non-strict mode alike. With <c>true</c> or a schema, at most one extra member follows, its key
/// written without escapes and different from every declared name, so no key repeats.
/// </summary>
internal static class ObjectRules
{
    public static string Compile(SchemaCompiler compiler, JsonElement schema, string path, int depth, string hint)
    {
        var ws = compiler.Primitives.Ws;
        var declared = Properties(schema, path);
        var required = Required(schema, path);
        var extra = Additional(compiler, schema, path, depth, hint);

        var members = new List<(string Member, bool Required)>();
        foreach (var (name, subschema) in declared)
        {
            var value = compiler.Child(subschema, path + "/properties/" + Pointer.Escape(name), depth + 1, hint + "-" + name);
            members.Add((Member(name, value, ws), required.Contains(name)));
        }

        foreach (var name in required.Where(r => !declared.Any(d => d.Name == r)))
        {
            members.Add(extra is null
                ? throw SchemaRejectedException.At(path + "/required", "required", $"Required property {name} is neither in properties nor allowed by additionalProperties.")
                : (Member(name, extra, ws), true));
        }

        var ordered = members.Where(m => m.Required).Select(m => m.Member).ToList();
        var optional = members.Where(m => !m.Required).Select(m => m.Member).ToList();
        if (extra is not null)
        {
            var key = PropertyNames.Other(compiler.Rules, declared.Select(d => d.Name).Concat(required), hint);
            optional.Add($"{key} {ws} \":\" {ws} {extra}");
        }

        return compiler.Rules.Add(hint + "-object", $"\"{{\" {ws} {Body(ordered, optional, ws, compiler.Rules, hint)}\"}}\"");
    }

    /// <summary>
    /// The members and the whitespace before the closing brace. Optional parts are rules of their own: llama.cpp
    /// charges a quantified group with every rule generated inside it, which long strings would overrun.
    /// </summary>
    private static string Body(List<string> ordered, List<string> optional, string ws, GbnfRules rules, string hint)
    {
        if (ordered.Count == 0 && optional.Count == 0)
        {
            return "";
        }

        // "?" on each optional member after the first that may be present ("," member)?.
        var options = optional.Select((o, i) => ordered.Count == 0 && i == 0 ? "" : rules.Repeat($"{ws} \",\" {ws} {o}", "?", hint + "-opt")).ToList();
        if (ordered.Count > 0)
        {
            return string.Join($" {ws} \",\" {ws} ", ordered) + " " + string.Concat(options.Select(o => o + " ")) + ws + " ";
        }

        // No member is certain: whichever comes first goes without a comma. Tail rules keep this linear in size.
        var tails = new string[optional.Count + 1];
        tails[optional.Count] = "";
        for (var i = optional.Count - 1; i >= 1; i--)
        {
            tails[i] = rules.Add(hint + "-rest", (options[i] + " " + tails[i + 1]).TrimEnd());
        }

        var firsts = optional.Select((o, i) => (o + " " + tails[i + 1]).TrimEnd());
        return rules.Repeat($"( {string.Join(" | ", firsts)} ) {ws}", "?", hint + "-members") + " ";
    }

    private static string Member(string name, string value, string ws) => $"{GbnfText.Literal(GbnfText.JsonString(name))} {ws} \":\" {ws} {value}";

    private static List<(string Name, JsonElement Schema)> Properties(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return [];
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw SchemaRejectedException.At(path + "/properties", "properties", "properties must be an object of schemas.");
        }

        var declared = properties.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
        return declared.DistinctBy(d => d.Name, StringComparer.Ordinal).Count() == declared.Count
            ? declared
            : throw SchemaRejectedException.At(path + "/properties", "properties", "properties names a property twice.");
    }

    private static List<string> Required(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("required", out var required))
        {
            return [];
        }

        if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            throw SchemaRejectedException.At(path + "/required", "required", "required must be an array of property names.");
        }

        var names = required.EnumerateArray().Select(r => r.GetString()!).ToList();
        return names.Distinct(StringComparer.Ordinal).Count() == names.Count
            ? names
            : throw SchemaRejectedException.At(path + "/required", "required", "required names must be unique.");
    }

    /// <summary>The value grammar of an extra member, or null when none is allowed.</summary>
    private static string? Additional(SchemaCompiler compiler, JsonElement schema, string path, int depth, string hint)
    {
        if (!schema.TryGetProperty("additionalProperties", out var additional))
        {
            return null;
        }

        return additional.ValueKind switch
        {
            JsonValueKind.False => null,
            JsonValueKind.True => compiler.Primitives.Value,
            JsonValueKind.Object => compiler.Child(additional, path + "/additionalProperties", depth + 1, hint + "-extra"),
            _ => throw SchemaRejectedException.At(path + "/additionalProperties", "additionalProperties", "additionalProperties must be a boolean or a schema."),
        };
    }
}
