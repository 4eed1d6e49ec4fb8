using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// Compiles a JSON Schema into a GBNF grammar whose start rule matches only JSON documents valid against the
/// schema (within the supported subset; anything outside it is refused with a <see cref="SchemaRejection"/>,
/// never dropped).
/// </summary>
/// <remarks>
/// Supported: <c>type</c> (a name or an array of names), <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c>, <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>uniqueItems: false</c>, <c>enum</c>,
/// <c>const</c>, <c>anyOf</c>, <c>oneOf</c> (disjoint branches, see <see cref="OneOfBranches"/>), <c>allOf</c> with one
/// schema, <c>$ref</c> to <c>#</c>, <c>#/$defs/…</c> or <c>#/definitions/…</c> (recursion allowed through an object or
/// array), <c>minLength</c>/<c>maxLength</c>, <c>minimum</c>/<c>maximum</c>/<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>
/// (see <see cref="NumberRules"/>), <c>format</c> date, date-time and uuid, and the <c>pattern</c> subset of
/// <see cref="RegexSubset"/>. Annotations (<c>title</c>, <c>description</c>, <c>$schema</c>, <c>$id</c>,
/// <c>examples</c>, <c>default</c>, <c>$comment</c>) are accepted and ignored; every other keyword is refused.
/// The grammar is tighter than the schema where generation needs it: properties in a fixed order, between tokens
/// nothing, a space, or a newline with at most <see cref="SchemaLimits.MaxWhitespace"/> spaces or tabs, none around
/// the document,
/// numbers without exponents and with bounded digits.
/// </remarks>
public static class JsonSchemaGrammar
{
    /// <summary><c>response_format: json_object</c>: any JSON object (keys may repeat; nothing context-free can prevent that).</summary>
    public static OutputGrammar AnyJsonObject { get; } = BuildAnyObject();

    /// <summary>
    /// The whole grammar for <paramref name="schema"/>, start rule <c>root</c>. <paramref name="strict"/> (OpenAI's strict
    /// mode) changes nothing in the grammar today: in both modes a missing <c>additionalProperties</c> generates no
    /// undeclared property; the flag is part of the cache key.
    /// </summary>
    public static SchemaCompilation Compile(JsonElement schema, bool strict) => CompileRules(schema, strict, "");

    /// <summary>
    /// As <see cref="Compile"/>, with every rule name, shared primitives included, prefixed by <paramref name="rulePrefix"/>
    /// and the start rule <c>{rulePrefix}root</c>, so that several compilations concatenate into one grammar.
    /// </summary>
    /// <param name="schema">The schema, as parsed JSON.</param>
    /// <param name="strict">As for <see cref="Compile"/>.</param>
    /// <param name="rulePrefix">Letters, digits and dashes (GBNF rule-name characters); may be empty.</param>
    /// <exception cref="ArgumentException">The prefix holds other characters.</exception>
    public static SchemaCompilation CompileRules(JsonElement schema, bool strict, string rulePrefix)
    {
        ArgumentNullException.ThrowIfNull(rulePrefix);
        if (!GbnfRules.IsValidName(rulePrefix))
        {
            throw new ArgumentException("A GBNF rule prefix holds only letters, digits and dashes.", nameof(rulePrefix));
        }

        _ = strict;
        if (SchemaPrescan.Check(schema) is { } rejection)
        {
            return SchemaCompilation.Refused(rejection);
        }

        try
        {
            return SchemaCompilation.Compiled(new OutputGrammar(SchemaCompiler.Compile(schema, rulePrefix), rulePrefix + "root"));
        }
        catch (SchemaRejectedException refused)
        {
            return SchemaCompilation.Refused(refused.Rejection);
        }
    }

    private static OutputGrammar BuildAnyObject()
    {
        var rules = new GbnfRules("");
        rules.Reserve("root");
        rules.Define("root", new JsonPrimitives(rules).Object);
        return new OutputGrammar(rules.Text());
    }
}
