namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// What the schema compiler accepts and how it bounds the grammar. A schema beyond a limit is refused with a
/// <see cref="SchemaRejection"/> naming the path and the keyword; nothing is truncated silently.
/// </summary>
public static class SchemaLimits
{
    /// <summary>Largest schema text, in UTF-8 bytes (keyword <c>size</c>, path <c>""</c>); checked before anything is walked.</summary>
    public const int MaxSchemaBytes = 256 * 1024;

    /// <summary>Deepest schema nesting (a subschema inside <c>properties</c>, <c>items</c>, <c>anyOf</c>... is one level; keyword <c>depth</c>).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Deepest JSON nesting of the schema text (keyword <c>depth</c>), checked with the size before the walk: a schema
    /// level costs up to two JSON levels (<c>properties</c>, then the property), plus room for <c>const</c> values.
    /// </summary>
    public const int MaxJsonDepth = (2 * MaxDepth) + 16;

    /// <summary>Most values in one <c>enum</c>.</summary>
    public const int MaxEnumValues = 1000;

    /// <summary>Largest <c>minLength</c>, <c>maxLength</c>, <c>minItems</c> or <c>maxItems</c> used as a bound.</summary>
    public const int MaxLengthBound = 1000;

    /// <summary>Longest <c>pattern</c>, in characters.</summary>
    public const int MaxPatternLength = 1000;

    /// <summary>Largest grammar text produced, in characters (keyword <c>size</c>, path <c>""</c>).</summary>
    public const int MaxGrammarChars = 1024 * 1024;

    /// <summary>
    /// Digits before the decimal point of a generated number: integers stay below 10^18, inside a 64-bit
    /// integer, and a model cannot spin out digits forever.
    /// </summary>
    public const int MaxIntegerDigits = 18;

    /// <summary>Digits after the decimal point of a generated number (about a double's precision).</summary>
    public const int MaxFractionDigits = 15;

    /// <summary>Most spaces or tabs of indentation the grammar allows after the one newline it allows between two JSON tokens.</summary>
    public const int MaxWhitespace = 20;
}
