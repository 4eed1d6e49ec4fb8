using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// Walks one schema and builds its grammar: type dispatch, <c>$ref</c>, <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>,
/// <c>enum</c>/<c>const</c> and arrays here; objects, strings and numbers in their own rule builders. The first
/// refusal ends the walk (<see cref="SchemaRejectedException"/>).
/// </summary>
internal sealed class SchemaCompiler
{
    private readonly SchemaReferences _references;
    private readonly GbnfRules _rules;

    private SchemaCompiler(JsonElement root, GbnfRules rules)
    {
        _references = new SchemaReferences(root);
        _rules = rules;
        Primitives = new JsonPrimitives(rules);
    }

    public JsonPrimitives Primitives { get; }

    public GbnfRules Rules => _rules;

    /// <summary>The grammar text of <paramref name="root"/>, every rule prefixed, the start rule <c>{prefix}root</c>.</summary>
    public static string Compile(JsonElement root, string prefix)
    {
        var rules = new GbnfRules(prefix);
        var compiler = new SchemaCompiler(root, rules);
        var start = prefix + "root";
        rules.Reserve(start);
        compiler._references.EnterRoot(start);
        rules.Define(start, compiler.Node(root, "", 0, "value"));
        return rules.Text();
    }

    /// <summary>A subschema reached after a token was consumed (inside an object or array): recursion is safe again.</summary>
    public string Child(JsonElement schema, string path, int depth, string hint)
    {
        var outer = _references.Consume();
        try
        {
            return Node(schema, path, depth, hint);
        }
        finally
        {
            _references.Restore(outer);
        }
    }

    /// <summary>A GBNF expression matching the JSON texts valid against <paramref name="schema"/>.</summary>
    public string Node(JsonElement schema, string path, int depth, string hint)
    {
        if (depth > SchemaLimits.MaxDepth)
        {
            throw SchemaRejectedException.At(path, "depth", $"Schemas nested deeper than {SchemaLimits.MaxDepth} levels are not supported.");
        }

        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return Primitives.Value;
            case JsonValueKind.False:
                throw SchemaRejectedException.At(path, "schema", "The schema false matches nothing.");
            case JsonValueKind.Object:
                break;
            default:
                throw SchemaRejectedException.At(path, "schema", "A schema must be an object or a boolean.");
        }

        var constraining = CheckKeywords(schema, path);
        if (constraining.FirstOrDefault(SchemaKeywords.Composition.Contains) is { } composition)
        {
            if (constraining.FirstOrDefault(k => k != composition) is { } other)
            {
                throw SchemaRejectedException.At(path + "/" + other, other, $"{other} cannot be combined with {composition} in one schema.");
            }

            return composition == "$ref"
                ? Reference(schema.GetProperty("$ref"), path + "/$ref", depth, hint)
                : Alternatives(schema, composition, path, depth, hint);
        }

        var types = SchemaTypes.Read(schema, path, constraining);
        if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("const", out _))
        {
            return SchemaLiterals.Compile(schema, path, types, constraining);
        }

        if (types is null)
        {
            return Primitives.Value;
        }

        var alternatives = types.Where(t => t != "integer" || !types.Contains("number")).Select(type => type switch
        {
            "object" => ObjectRules.Compile(this, schema, path, depth, hint),
            "array" => Array(schema, path, depth, hint),
            "string" => StringRules.Compile(schema, path, _rules, Primitives),
            "integer" => NumberRules.Integer(schema, path, Primitives),
            "number" => NumberRules.Number(schema, path, Primitives),
            "boolean" => Primitives.Boolean,
            _ => Primitives.Null,
        }).ToList();
        return alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" | ", alternatives) + ")";
    }

    /// <summary>The keywords that constrain (not annotations, not definitions); unknown or misplaced keywords are refused.</summary>
    private static List<string> CheckKeywords(JsonElement schema, string path)
    {
        var constraining = new List<string>();
        foreach (var property in schema.EnumerateObject())
        {
            var keyword = property.Name;
            if (!SchemaKeywords.IsKnown(keyword))
            {
                throw SchemaRejectedException.At(path + "/" + Pointer.Escape(keyword), keyword, $"The keyword {keyword} is not supported.");
            }

            if (SchemaKeywords.Definitions.Contains(keyword))
            {
                if (path.Length > 0 || property.Value.ValueKind != JsonValueKind.Object)
                {
                    throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"{keyword} must be an object at the root of the schema.");
                }
            }
            else if (!SchemaKeywords.Annotations.Contains(keyword))
            {
                constraining.Add(keyword);
            }
        }

        return constraining;
    }

    private string Reference(JsonElement reference, string path, int depth, string hint)
    {
        if (reference.ValueKind != JsonValueKind.String)
        {
            throw SchemaRejectedException.At(path, "$ref", "$ref must be a string.");
        }

        var (name, target, targetPath, isNew) = _references.Enter(reference.GetString()!, path, _rules);
        if (isNew)
        {
            try
            {
                _rules.Define(name, Node(target, targetPath, depth + 1, hint));
            }
            finally
            {
                _references.Leave(reference.GetString()!);
            }
        }

        return name;
    }

    private string Alternatives(JsonElement schema, string keyword, string path, int depth, string hint)
    {
        var branches = schema.GetProperty(keyword);
        if (branches.ValueKind != JsonValueKind.Array || branches.GetArrayLength() == 0)
        {
            throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"{keyword} must be a non-empty array of schemas.");
        }

        if (keyword == "allOf")
        {
            return branches.GetArrayLength() == 1
                ? Node(branches[0], path + "/allOf/0", depth + 1, hint)
                : throw SchemaRejectedException.At(path + "/allOf", "allOf", "allOf with more than one schema is not supported.");
        }

        // Compiled first: the disjointness check of oneOf reads branches already known to be well-formed.
        var alternatives = branches.EnumerateArray().Select((branch, i) => Node(branch, $"{path}/{keyword}/{i}", depth + 1, hint)).ToList();
        if (keyword == "oneOf")
        {
            OneOfBranches.RequireDisjoint(branches, path + "/oneOf", _references);
        }

        return alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" | ", alternatives) + ")";
    }

    private string Array(JsonElement schema, string path, int depth, string hint)
    {
        var min = StringRules.Length(schema, path, "minItems") ?? 0;
        var max = StringRules.Length(schema, path, "maxItems");
        if (max < min)
        {
            throw SchemaRejectedException.At(path + "/maxItems", "maxItems", "maxItems is smaller than minItems.");
        }

        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind != JsonValueKind.False)
        {
            throw SchemaRejectedException.At(path + "/uniqueItems", "uniqueItems", "uniqueItems true is not supported.");
        }

        var hasItems = schema.TryGetProperty("items", out var items);
        if (hasItems && items.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            throw SchemaRejectedException.At(path + "/items", "items", "items must be a schema (tuple forms are not supported).");
        }

        var ws = Primitives.Ws;
        if (max == 0)
        {
            return _rules.Add(hint + "-array", $"\"[\" {ws} \"]\"");
        }

        var item = hasItems ? Child(items, path + "/items", depth + 1, hint + "-item") : Primitives.Value;
        // The first item, then max - 1 more at most; a bounded repetition llama.cpp expands into nested rules.
        var least = Math.Max(min, 1) - 1;
        var most = max - 1;
        var repeat = (least, most) switch
        {
            (_, 0) => null,
            (0, null) => "*",
            (1, null) => "+",
            (_, null) => $"{{{least},}}",
            _ when least == most => $"{{{least}}}",
            _ => $"{{{least},{most}}}",
        };
        var list = repeat is null ? $"{item} {ws}" : $"{item} {_rules.Repeat($"{ws} \",\" {ws} {item}", repeat, hint + "-more")} {ws}";
        return _rules.Add(hint + "-array", min == 0 ? $"\"[\" {ws} {_rules.Repeat(list, "?", hint + "-items")} \"]\"" : $"\"[\" {ws} {list} \"]\"");
    }
}
