using System.Text.Json;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Tests.Constraints;

/// <summary>Compiles schema text for unit tests and reads the grammar back as rules by name.</summary>
internal static class CompiledSchema
{
    public static OutputGrammar Grammar(string schema, string prefix = "")
    {
        var compilation = JsonSchemaGrammar.CompileRules(Parse(schema), strict: true, prefix);
        Assert.True(compilation.Rejection is null, compilation.Rejection?.ToString());
        return compilation.Grammar!;
    }

    public static SchemaRejection Refusal(string schema)
    {
        var compilation = JsonSchemaGrammar.Compile(Parse(schema), strict: true);
        Assert.Null(compilation.Grammar);
        return compilation.Rejection!;
    }

    public static Dictionary<string, string> Rules(string schema, string prefix = "") =>
        Grammar(schema, prefix).Gbnf.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(" ::= ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    public static JsonElement Parse(string schema) => JsonDocument.Parse(schema, new JsonDocumentOptions { MaxDepth = 1000 }).RootElement;
}
