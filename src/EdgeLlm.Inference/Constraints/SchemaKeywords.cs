namespace EdgeLlm.Inference.Constraints;

/// <summary>Which keywords the compiler understands, and which types each one constrains.</summary>
internal static class SchemaKeywords
{
    /// <summary>Keywords that only describe a schema and never constrain it: accepted and left out of the grammar.</summary>
    public static readonly IReadOnlySet<string> Annotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "title", "description", "$schema", "$id", "examples", "default", "$comment",
    };

    /// <summary>Keywords that constrain values of one JSON type, by that type's name.</summary>
    public static readonly IReadOnlyDictionary<string, string> TypeSpecific = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["properties"] = "object",
        ["required"] = "object",
        ["additionalProperties"] = "object",
        ["items"] = "array",
        ["minItems"] = "array",
        ["maxItems"] = "array",
        ["uniqueItems"] = "array",
        ["minLength"] = "string",
        ["maxLength"] = "string",
        ["pattern"] = "string",
        ["format"] = "string",
        ["minimum"] = "number",
        ["maximum"] = "number",
        ["exclusiveMinimum"] = "number",
        ["exclusiveMaximum"] = "number",
    };

    /// <summary>Keywords that combine or replace whole schemas; each stands alone beside annotations.</summary>
    public static readonly IReadOnlySet<string> Composition = new HashSet<string>(StringComparer.Ordinal) { "$ref", "anyOf", "oneOf", "allOf" };

    /// <summary>Definitions addressed by <c>$ref</c>; accepted at the root only.</summary>
    public static readonly IReadOnlySet<string> Definitions = new HashSet<string>(StringComparer.Ordinal) { "$defs", "definitions" };

    public static readonly IReadOnlySet<string> TypeNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "object", "array", "string", "number", "integer", "boolean", "null",
    };

    public static bool IsKnown(string keyword) =>
        Annotations.Contains(keyword) || TypeSpecific.ContainsKey(keyword) || Composition.Contains(keyword) || Definitions.Contains(keyword)
        || keyword is "type" or "enum" or "const";

    /// <summary>Whether a keyword of <paramref name="kind"/> (as in <see cref="TypeSpecific"/>) constrains <paramref name="type"/>.</summary>
    public static bool Constrains(string kind, string type) => kind == type || (kind == "number" && type == "integer");
}
