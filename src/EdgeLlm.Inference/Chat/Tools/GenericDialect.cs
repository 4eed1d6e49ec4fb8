using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// Any model, with no trained tool syntax: a system message lists the functions and asks for
/// <c>{"tool_calls": [{"name": ..., "arguments": {...}}]}</c> as the whole answer; tool results come back as a
/// user turn naming the call they answer. In auto mode a call starts with <c>{"tool_calls"</c>.
/// </summary>
internal sealed partial class GenericDialect(ISchemaRuleCompiler compiler) : ToolCallDialect(compiler)
{
    public override ToolCallFormat Format => ToolCallFormat.Generic;

    public override string Trigger => "{\"tool_calls\"";

    internal override ToolCallLayout Layout { get; } = new(
        ListOpen: "{\"tool_calls\": [", CallOpen: "", ArgumentsKey: "arguments", CallClose: "", Separator: ", ", ListClose: "]}");

    public override ParsedToolOutput Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = CallStart().Match(text);
        return ParseFrom(text, start.Success ? start.Index : -1, reader =>
        {
            if (!reader.TryReadJson(out var json) || json.ValueKind != JsonValueKind.Object
                || !json.TryGetProperty("tool_calls", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return CallTextReader.ReadCalls(list.EnumerateArray(), "arguments");
        });
    }

    private protected override void DescribeTools(RenderedConversation conversation, IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        var rule = choice.Mode switch
        {
            ToolChoiceMode.Required => "You must call at least one function.",
            ToolChoiceMode.Named => $"You must call the function {ToolJson.String(choice.Name ?? "")}.",
            _ => "When no function is needed, answer the user directly in plain text instead.",
        };
        var block =
            "You can call these functions, each given as JSON with a JSON Schema of its arguments:\n"
            + string.Join("\n", tools.Select(t => ToolJson.Function(t, indented: false)))
            + "\n\nTo call functions, answer with only a JSON object of this form and nothing else:\n"
            + "{\"tool_calls\": [{\"name\": \"<function name>\", \"arguments\": {<arguments>}}]}\n"
            + rule;
        conversation.EditSystem(system => system.Length == 0 ? block : system + "\n\n" + block);
    }

    private protected override IEnumerable<ChatMessage> WriteResults(IReadOnlyList<ChatMessage> results, IReadOnlyDictionary<string, string> callNames)
    {
        yield return new ChatMessage("user", string.Join("\n\n", results.Select(r => Describe(r, callNames) + ":\n" + r.Content)));
    }

    private static string Describe(ChatMessage result, IReadOnlyDictionary<string, string> callNames) =>
        result.ToolCallId is { } id && callNames.TryGetValue(id, out var name)
            ? $"Result of the call {id} to {name}"
            : $"Result of the call {result.ToolCallId}";

    [GeneratedRegex("""\{\s*"tool_calls"\s*:""", RegexOptions.CultureInvariant)]
    private static partial Regex CallStart();
}
