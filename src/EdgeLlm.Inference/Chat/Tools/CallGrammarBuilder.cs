using System.Text;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// Builds the grammar of tool calls: one compiled parameters schema per function under its own rule prefix
/// (<c>t{i}-</c>, a prefix-free set so no two functions' rules can collide), wrapped by the family's layout:
/// <code>
/// root      ::= head call-tail (separator call)* list-close      (parallel; else one call-tail)
/// call      ::= call-open "{\"name\": " call-tail
/// call-tail ::= call-t0 | call-t1 ...
/// call-t0   ::= "\"f\", \"arguments\": " t0-root "}" call-close
/// </code>
/// The wrapper's spacing is fixed (Python's json.dumps style the families were trained on); the arguments'
/// whitespace is whatever the schema compiler allows.
/// </summary>
internal static class CallGrammarBuilder
{
    public static SchemaCompilation Build(
        ToolCallLayout layout,
        string trigger,
        ISchemaRuleCompiler compiler,
        IReadOnlyList<ToolDefinition> tools,
        bool parallel,
        bool includeTrigger,
        string? onlyTool)
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.Count == 0)
        {
            throw new ArgumentException("A call grammar needs at least one tool.", nameof(tools));
        }

        var selected = Enumerable.Range(0, tools.Count).Where(i => onlyTool is null || tools[i].Name == onlyTool).ToList();
        if (selected.Count == 0)
        {
            throw new ArgumentException($"No tool is named '{onlyTool}'.", nameof(onlyTool));
        }

        var rules = new StringBuilder();
        var alternatives = new List<string>();
        foreach (var i in selected)
        {
            var compiled = compiler.CompileRules(ToolJson.Parameters(tools[i]), strict: false, rulePrefix: $"t{i}-");
            if (compiled.Rejection is { } rejection)
            {
                return new SchemaCompilation(null, rejection with { Path = $"tools[{i}].function.parameters{rejection.Path}" });
            }

            var arguments = compiled.Grammar ?? throw new InvalidOperationException("A schema compilation has neither a grammar nor a rejection.");
            rules.Append($"call-t{i} ::= {GbnfLiteral.Quote(layout.NameAndArguments(tools[i].Name))} {arguments.Root} {GbnfLiteral.Quote("}" + layout.CallClose)}\n");
            rules.Append(arguments.Gbnf.TrimEnd()).Append('\n');
            alternatives.Add($"call-t{i}");
        }

        return new SchemaCompilation(new OutputGrammar(Wrapper(layout, trigger, parallel, includeTrigger, alternatives) + rules), null);
    }

    private static string Wrapper(ToolCallLayout layout, string trigger, bool parallel, bool includeTrigger, IReadOnlyList<string> alternatives)
    {
        if (!layout.Head.StartsWith(trigger, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The trigger '{trigger}' does not open the call layout '{layout.Head}'.");
        }

        var head = includeTrigger ? layout.Head : layout.Head[trigger.Length..];
        var root = new List<string>();
        if (head.Length > 0)
        {
            root.Add(GbnfLiteral.Quote(head));
        }

        root.Add("call-tail");
        if (parallel)
        {
            root.Add($"({GbnfLiteral.Quote(layout.Separator)} call)*");
        }

        if (layout.ListClose.Length > 0)
        {
            root.Add(GbnfLiteral.Quote(layout.ListClose));
        }

        var wrapper = new StringBuilder();
        wrapper.Append($"root ::= {string.Join(' ', root)}\n");
        if (parallel)
        {
            wrapper.Append($"call ::= {GbnfLiteral.Quote(layout.CallOpen + ToolCallLayout.NameOpen)} call-tail\n");
        }

        wrapper.Append($"call-tail ::= {string.Join(" | ", alternatives)}\n");
        return wrapper.ToString();
    }
}
