using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Chat;

/// <summary>
/// One message of a chat, already checked: role is system, user, assistant or tool.
/// An assistant message may carry the tool calls it made (<paramref name="ToolCalls"/>); a tool message answers
/// one of them (<paramref name="ToolCallId"/>). A tool-call dialect turns both into plain text before the
/// model's template sees them.
/// </summary>
public sealed record ChatMessage(
    string Role,
    string Content,
    IReadOnlyList<ToolCall>? ToolCalls = null,
    string? ToolCallId = null)
{
    public static IReadOnlyList<string> Roles { get; } = ["system", "user", "assistant", "tool"];
}
