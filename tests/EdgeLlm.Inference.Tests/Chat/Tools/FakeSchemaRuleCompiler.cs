using System.Text.Json;
using EdgeLlm.Inference.Chat.Tools;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

/// <summary>Stands in for the JSON Schema compiler: each schema becomes <c>{prefix}root ::= "{}"</c>, or a set rejection.</summary>
internal sealed class FakeSchemaRuleCompiler : ISchemaRuleCompiler
{
    public List<(string Schema, bool Strict, string Prefix)> Calls { get; } = [];

    /// <summary>When set, schemas compiled under this prefix are refused with <see cref="Rejection"/>.</summary>
    public string? RejectPrefix { get; init; }

    public SchemaRejection Rejection { get; init; } = new("/properties/when/format", "format", "format 'time' is not supported");

    public SchemaCompilation CompileRules(JsonElement schema, bool strict, string rulePrefix)
    {
        Calls.Add((schema.GetRawText(), strict, rulePrefix));
        return rulePrefix == RejectPrefix
            ? new SchemaCompilation(null, Rejection)
            : new SchemaCompilation(new OutputGrammar($"{rulePrefix}root ::= \"{{}}\"\n", $"{rulePrefix}root"), null);
    }
}
