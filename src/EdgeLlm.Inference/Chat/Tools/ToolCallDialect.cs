using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// What the four families share: the walk over the conversation (assistant calls and tool results rewritten,
/// everything else kept), and the call grammar built from the family's <see cref="ToolCallLayout"/>.
/// </summary>
internal abstract class ToolCallDialect(ISchemaRuleCompiler compiler) : IToolCallDialect
{
    public abstract ToolCallFormat Format { get; }

    public abstract string Trigger { get; }

    internal abstract ToolCallLayout Layout { get; }

    public SchemaCompilation CallGrammar(IReadOnlyList<ToolDefinition> tools, bool parallel, bool includeTrigger, string? onlyTool = null) =>
        CallGrammarBuilder.Build(Layout, Trigger, compiler, tools, parallel, includeTrigger, onlyTool);

    public IReadOnlyList<ChatMessage> Render(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, ToolChoice choice)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(choice);
        var describeTools = tools.Count > 0 && choice.Mode != ToolChoiceMode.None;
        if (!describeTools && !messages.Any(m => m.Role == "tool" || m.ToolCalls is { Count: > 0 }))
        {
            return messages;
        }

        var conversation = RewriteTurns(messages);
        if (describeTools)
        {
            DescribeTools(conversation, tools, choice);
        }

        return conversation.Messages;
    }

    public abstract ParsedToolOutput Parse(string text);

    /// <summary>Puts the tool definitions where the family expects them.</summary>
    private protected abstract void DescribeTools(RenderedConversation conversation, IReadOnlyList<ToolDefinition> tools, ToolChoice choice);

    /// <summary>The messages that stand for a run of consecutive tool results.</summary>
    private protected abstract IEnumerable<ChatMessage> WriteResults(IReadOnlyList<ChatMessage> results, IReadOnlyDictionary<string, string> callNames);

    /// <summary>An assistant turn with calls: its text (if any), a newline, then the calls in the family's layout.</summary>
    private protected virtual string WriteCalls(ChatMessage assistant)
    {
        var calls = Layout.Write(assistant.ToolCalls!);
        return string.IsNullOrWhiteSpace(assistant.Content) ? calls : assistant.Content.TrimEnd() + "\n" + calls;
    }

    /// <summary>
    /// Parses the answer from the first call marker on: text before it is the content, the calls must run to the
    /// end of the text (trailing whitespace allowed); anything else gives the whole text back as content.
    /// </summary>
    private protected static ParsedToolOutput ParseFrom(string text, int callStart, Func<CallTextReader, IReadOnlyList<ParsedToolCall>?> readCalls)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (callStart < 0)
        {
            return ParsedToolOutput.TextOnly(text);
        }

        var reader = new CallTextReader(text, callStart);
        var calls = readCalls(reader);
        reader.SkipWhitespace();
        return calls is { Count: > 0 } && reader.AtEnd
            ? new ParsedToolOutput(text[..callStart].TrimEnd(), calls)
            : ParsedToolOutput.TextOnly(text);
    }

    private RenderedConversation RewriteTurns(IReadOnlyList<ChatMessage> messages)
    {
        var callNames = messages
            .SelectMany(m => m.ToolCalls ?? [])
            .GroupBy(c => c.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var conversation = new RenderedConversation();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == "tool")
            {
                var end = i;
                while (end + 1 < messages.Count && messages[end + 1].Role == "tool")
                {
                    end++;
                }

                foreach (var result in WriteResults(messages.Skip(i).Take(end - i + 1).ToList(), callNames))
                {
                    conversation.Add(result, fromClientUser: false);
                }

                i = end;
            }
            else if (message.Role == "assistant" && message.ToolCalls is { Count: > 0 })
            {
                conversation.Add(new ChatMessage("assistant", WriteCalls(message)), fromClientUser: false);
            }
            else
            {
                conversation.Add(new ChatMessage(message.Role, message.Content), fromClientUser: message.Role == "user");
            }
        }

        return conversation;
    }
}
