using System.Text.Json;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// Compiles one function's parameters schema into GBNF rules that share a grammar with other functions: every
/// rule name starts with <c>rulePrefix</c> and the start rule is <c>{rulePrefix}root</c>. The production
/// implementation is <c>JsonSchemaGrammar.CompileRules</c>; the seam lets the call wrappers be tested alone.
/// </summary>
public interface ISchemaRuleCompiler
{
    SchemaCompilation CompileRules(JsonElement schema, bool strict, string rulePrefix);
}
