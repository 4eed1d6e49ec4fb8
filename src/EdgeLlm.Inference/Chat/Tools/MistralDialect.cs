using System.Text.Json;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// Mistral v0.3 and later (Mistral 7B v0.3, Nemo, Small): <c>[AVAILABLE_TOOLS][...][/AVAILABLE_TOOLS]</c> before
/// the last user question, calls as <c>[TOOL_CALLS][{"name": ..., "arguments": {...}}, ...]</c>, results as
/// <c>[TOOL_RESULTS]{"content": ...}[/TOOL_RESULTS]</c> (the result as it is when it is JSON, else as a JSON string). Mistral's own template writes the tool list and the
/// results outside <c>[INST]</c>; llama.cpp's mistral templates know only user/assistant/system turns, so here
/// the list opens the user turn's text and the results form a user turn of their own.
/// </summary>
internal sealed class MistralDialect(ISchemaRuleCompiler compiler) : ToolCallDialect(compiler)
{
    private const string CallsTag = "[TOOL_CALLS]";

    public override ToolCallFormat Format => ToolCallFormat.Mistral;

    public override string Trigger => CallsTag;

    internal override ToolCallLayout Layout { get; } = new(
        ListOpen: CallsTag + "[", CallOpen: "", ArgumentsKey: "arguments", CallClose: "", Separator: ", ", ListClose: "]");

    public override ParsedToolOutput Parse(string text) =>
        ParseFrom(text, text.IndexOf(CallsTag, StringComparison.Ordinal), reader =>
        {
            if (!reader.TryRead(CallsTag) || !reader.TryReadJson(out var json))
            {
                return null;
            }

            // A single call sometimes comes without the list around it.
            return CallTextReader.ReadCalls(json.ValueKind == JsonValueKind.Array ? json.EnumerateArray() : [json], "arguments");
        });

    private protected override void DescribeTools(RenderedConversation conversation, IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        var block = "[AVAILABLE_TOOLS][" + string.Join(", ", tools.Select(t => ToolJson.Function(t, indented: false))) + "][/AVAILABLE_TOOLS]";
        if (conversation.LastClientUserTurn is { } last)
        {
            conversation.Edit(last, question => block + question);
        }
        else
        {
            conversation.EditSystem(system => system.Length == 0 ? block : system + "\n\n" + block);
        }
    }

    private protected override IEnumerable<ChatMessage> WriteResults(IReadOnlyList<ChatMessage> results, IReadOnlyDictionary<string, string> callNames)
    {
        yield return new ChatMessage("user", string.Concat(results.Select(r => "[TOOL_RESULTS]{\"content\": " + ToolJson.Embedded(r.Content) + "}[/TOOL_RESULTS]")));
    }
}
