namespace EdgeLlm.Inference.Constraints;

/// <summary>Why a JSON Schema was refused for constrained output.</summary>
/// <param name="Path">
/// JSON-pointer-like path inside the schema to the offending keyword (<c>/properties/a/items/pattern</c>),
/// or <c>""</c> for the whole schema.
/// </param>
/// <param name="Keyword">
/// The offending keyword as written in the schema (<c>pattern</c>, <c>$ref</c>, <c>enum</c>, an unsupported
/// keyword's own name), or one of the limit words: <c>size</c> (schema text or grammar too large), <c>depth</c>
/// (nesting too deep), <c>schema</c> (a value where a schema must be).
/// </param>
/// <param name="Message">One sentence for the client saying what is wrong.</param>
public sealed record SchemaRejection(string Path, string Keyword, string Message);
