namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// NousResearch Hermes 2 Pro / 3 and Qwen 2.5 / 3: function signatures inside <c>&lt;tools&gt;</c> in the system
/// message, each call a <c>&lt;tool_call&gt;</c> block holding <c>{"name": ..., "arguments": {...}}</c>, and a run of
/// tool results one user turn of <c>&lt;tool_response&gt;</c> blocks — the ChatML turns these models were tuned on.
/// </summary>
internal sealed class HermesDialect(ISchemaRuleCompiler compiler) : ToolCallDialect(compiler)
{
    private const string CallOpenTag = "<tool_call>";
    private const string CallCloseTag = "</tool_call>";

    public override ToolCallFormat Format => ToolCallFormat.Hermes;

    public override string Trigger => CallOpenTag;

    internal override ToolCallLayout Layout { get; } = new(
        ListOpen: "", CallOpen: CallOpenTag + "\n", ArgumentsKey: "arguments", CallClose: "\n" + CallCloseTag, Separator: "\n", ListClose: "");

    public override ParsedToolOutput Parse(string text) =>
        ParseFrom(text, text.IndexOf(CallOpenTag, StringComparison.Ordinal), reader =>
        {
            var calls = new List<ParsedToolCall>();
            do
            {
                if (!reader.TryRead(CallOpenTag) || !reader.TryReadJson(out var json)
                    || CallTextReader.ReadCall(json, "arguments") is not { } call)
                {
                    return null;
                }

                reader.SkipWhitespace();
                if (!reader.TryRead(CallCloseTag))
                {
                    return null;
                }

                calls.Add(call);
                reader.SkipWhitespace();
            }
            while (!reader.AtEnd);

            return calls;
        });

    private protected override void DescribeTools(RenderedConversation conversation, IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        var block =
            "# Tools\n\n"
            + "You may call one or more functions to help with the user's request. "
            + "Their signatures are given as JSON inside <tools></tools> tags:\n"
            + "<tools>\n"
            + string.Join("\n", tools.Select(t => ToolJson.Function(t, indented: false)))
            + "\n</tools>\n\n"
            + "To call a function, write its name and arguments as a JSON object inside <tool_call></tool_call> tags, one block per call:\n"
            + "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";
        conversation.EditSystem(system => system.Length == 0 ? block : system + "\n\n" + block);
    }

    private protected override IEnumerable<ChatMessage> WriteResults(IReadOnlyList<ChatMessage> results, IReadOnlyDictionary<string, string> callNames)
    {
        yield return new ChatMessage("user", string.Join("\n", results.Select(r => "<tool_response>\n" + r.Content + "\n</tool_response>")));
    }
}
