using System.Text.RegularExpressions;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// Llama 3.1 / 3.2 / 3.3 JSON tool calling: "Environment: ipython" opens the system message, the function
/// definitions and the answer format precede the first user question, a call is the bare object
/// <c>{"name": ..., "parameters": {...}}</c>, and each tool result is its own turn with role <c>ipython</c>.
/// That role is not one of the plain three: llama.cpp's built-in llama3 template writes any role into the
/// header verbatim, so the model sees exactly the turn it was trained on. Meta documents no syntax for several
/// calls at once; parallel calls are written one object per line (the parser also takes <c>;</c> between them).
/// </summary>
internal sealed partial class Llama3Dialect(ISchemaRuleCompiler compiler) : ToolCallDialect(compiler)
{
    /// <summary>The header role Llama 3.1 reads tool results from.</summary>
    public const string ToolResultRole = "ipython";

    private const string PythonTag = "<|python_tag|>";

    public override ToolCallFormat Format => ToolCallFormat.Llama3;

    public override string Trigger => "{\"name\"";

    internal override ToolCallLayout Layout { get; } = new(
        ListOpen: "", CallOpen: "", ArgumentsKey: "parameters", CallClose: "", Separator: "\n", ListClose: "");

    public override ParsedToolOutput Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = CallStart().Match(text);
        return ParseFrom(text, start.Success ? start.Index : -1, reader =>
        {
            _ = reader.TryRead(PythonTag);
            var calls = new List<ParsedToolCall>();
            do
            {
                if (!reader.TryReadJson(out var json) || CallTextReader.ReadCall(json, "parameters", "arguments") is not { } call)
                {
                    return null;
                }

                calls.Add(call);
                reader.SkipWhitespace();
                if (reader.TryRead(";"))
                {
                    reader.SkipWhitespace();
                }
            }
            while (!reader.AtEnd);

            return calls;
        });
    }

    private protected override void DescribeTools(RenderedConversation conversation, IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        conversation.EditSystem(system => system.Length == 0 ? "Environment: ipython" : "Environment: ipython\n\n" + system);
        var preamble =
            "You can call the functions below. To call one, answer with only a JSON object of the form "
            + "{\"name\": function name, \"parameters\": dictionary of argument names and their values}. "
            + "Use literal values, not variables.\n\n"
            + string.Concat(tools.Select(t => ToolJson.Function(t, indented: true) + "\n\n"));
        if (conversation.FirstClientUserTurn is { } first)
        {
            conversation.Edit(first, question => preamble + question);
        }
        else
        {
            conversation.EditSystem(system => system + "\n\n" + preamble.TrimEnd());
        }
    }

    private protected override IEnumerable<ChatMessage> WriteResults(IReadOnlyList<ChatMessage> results, IReadOnlyDictionary<string, string> callNames) =>
        results.Select(r => new ChatMessage(ToolResultRole, r.Content));

    [GeneratedRegex("""(<\|python_tag\|>\s*)?\{\s*"name"\s*:""", RegexOptions.CultureInvariant)]
    private static partial Regex CallStart();
}
