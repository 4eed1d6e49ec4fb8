using System.Text.Json;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>The tool dialects' schema compiler: <see cref="JsonSchemaGrammar.CompileRules"/>.</summary>
public sealed class SchemaRuleCompiler : ISchemaRuleCompiler
{
    public static SchemaRuleCompiler Instance { get; } = new();

    public SchemaCompilation CompileRules(JsonElement schema, bool strict, string rulePrefix) => JsonSchemaGrammar.CompileRules(schema, strict, rulePrefix);
}
