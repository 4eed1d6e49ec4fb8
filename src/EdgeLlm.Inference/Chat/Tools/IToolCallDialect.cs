using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// One model family's way of calling tools: how tools, calls and results are written into the prompt, the text
/// that opens a call, the grammar of a call, and how calls are read back out of the model's answer.
/// </summary>
public interface IToolCallDialect
{
    ToolCallFormat Format { get; }

    /// <summary>The text that starts a call in free output; an auto-mode grammar is activated once it appears.</summary>
    string Trigger { get; }

    /// <summary>
    /// Rewrites the conversation into plain messages the model's own chat template can format: tool definitions
    /// go where the family expects them (not when <paramref name="choice"/> is None), assistant tool calls and
    /// tool results become text in the family's syntax. Without tools and tool turns the messages come back as
    /// they were.
    /// </summary>
    IReadOnlyList<ChatMessage> Render(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools, ToolChoice choice);

    /// <summary>
    /// The grammar of the family's call wrapper around <c>{"name": one of the names, "arguments": that function's
    /// parameters}</c>: exactly one call, or one or more when <paramref name="parallel"/>. Without the trigger it
    /// matches only what follows <see cref="Trigger"/>. <paramref name="onlyTool"/> limits it to the named
    /// function (tool_choice naming one). A parameters schema the compiler refuses comes back as the rejection,
    /// its path prefixed with <c>tools[i].function.parameters</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No tools, or <paramref name="onlyTool"/> names none of them.</exception>
    SchemaCompilation CallGrammar(IReadOnlyList<ToolDefinition> tools, bool parallel, bool includeTrigger, string? onlyTool = null);

    /// <summary>Splits an answer into text and calls; never throws, broken call syntax yields no calls.</summary>
    ParsedToolOutput Parse(string text);
}
